package com.ultracloud.deployer.installer.run;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Shell-style display of an argv (what the console and {@code --dry-run} print). */
public final class Commands {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./#-]+");

    private Commands() {
    }

    public static String display(List<String> command) {
        return command.stream().map(Commands::quote).collect(Collectors.joining(" "));
    }

    static String quote(String arg) {
        return PLAIN.matcher(arg).matches() ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }
}
