package com.ultracloud.deployer.installer.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The one way the installer changes the machine: every command (disko, nixos-install, the reboot) and
 * every file it writes into the target goes through an executor, so {@code --dry-run} and the lab
 * can stand in for the real thing without a second code path.
 * <ul>
 *   <li>{@link ProcessExecutor}: runs the command (ProcessBuilder), captures stdout+stderr;</li>
 *   <li>{@link DryRunExecutor}: prints the commands and files instead, changes nothing;</li>
 *   <li>{@link SimulatedExecutor}: records the exact commands, writes the files, can be told to fail a step.</li>
 * </ul>
 */
public interface CommandExecutor {

    /**
     * @param step    the install step the command belongs to (e.g. {@code disko}), for reports and failure injection
     * @param command the argv, first element the program
     * @return exit code and the captured output lines (stdout and stderr interleaved)
     */
    CommandResult run(String step, List<String> command) throws IOException, InterruptedException;

    /**
     * Writes {@code content} to {@code file} (creating parent directories, mode 0755) with POSIX
     * {@code permissions} (e.g. {@code rw-------}); replaces an existing file atomically, so writing
     * twice is harmless.
     */
    void writeFile(Path file, byte[] content, String permissions) throws IOException;

    /** True when nothing is really done (the installer then reports nothing to the deployer). */
    default boolean dryRun() {
        return false;
    }

    /** Exit code and captured output of one command. */
    record CommandResult(int exitCode, List<String> output) {
        public CommandResult {
            output = List.copyOf(output);
        }

        public boolean succeeded() {
            return exitCode == 0;
        }

        /** The last {@code lines} lines of the output, newline-separated. */
        public String tail(int lines) {
            return String.join("\n", output.subList(Math.max(0, output.size() - lines), output.size()));
        }
    }
}
