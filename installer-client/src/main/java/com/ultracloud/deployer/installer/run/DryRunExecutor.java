package com.ultracloud.deployer.installer.run;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** {@code --dry-run}: prints every command and file instead of running or writing it; changes nothing. */
public final class DryRunExecutor implements CommandExecutor {

    private final PrintWriter console;

    public DryRunExecutor(PrintWriter console) {
        this.console = console;
    }

    @Override
    public CommandResult run(String step, List<String> command) {
        console.println("[dry-run] " + step + ": " + Commands.display(command));
        console.flush();
        return new CommandResult(0, List.of());
    }

    @Override
    public void writeFile(Path file, byte[] content, String permissions) {
        console.println("[dry-run] would write " + file + " (" + permissions + ", " + content.length + " bytes)");
        console.flush();
    }

    @Override
    public boolean dryRun() {
        return true;
    }
}
