package com.ultracloud.deployer.installer.run;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Shell-style display of an argv (what the console and {@code --dry-run} print). */
public final class Commands {

    /** kexec's kernel command line option: the installer's carries the cluster join secret. */
    public static final String KEXEC_COMMAND_LINE = "--command-line=";

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./#-]+");

    private Commands() {
    }

    public static String display(List<String> command) {
        return redacted(command).stream().map(Commands::quote).collect(Collectors.joining(" "));
    }

    /**
     * The argv as it may be printed or logged: a {@value #KEXEC_COMMAND_LINE} value (it holds
     * {@code ultracloud.join=<secret>}) is replaced by how many parameters it has.
     */
    public static List<String> redacted(List<String> command) {
        return command.stream().map(Commands::redact).toList();
    }

    private static String redact(String arg) {
        if (!arg.startsWith(KEXEC_COMMAND_LINE)) {
            return arg;
        }
        String value = arg.substring(KEXEC_COMMAND_LINE.length()).trim();
        int parameters = value.isEmpty() ? 0 : value.split("\\s+").length;
        return KEXEC_COMMAND_LINE + "(redacted, " + parameters + " parameters)";
    }

    static String quote(String arg) {
        return PLAIN.matcher(arg).matches() ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }
}
