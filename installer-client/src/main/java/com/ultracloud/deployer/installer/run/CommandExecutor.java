package com.ultracloud.deployer.installer.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
     * Runs the command but gives up after {@code timeout}: then the result is {@link CommandResult#timedOut()}
     * (exit {@value CommandResult#TIMED_OUT}, as timeout(1) exits). This default waits for {@link #run(String, List)}
     * on another thread and abandons it; {@link ProcessExecutor} kills the process instead.
     */
    default CommandResult run(String step, List<String> command, Duration timeout) throws IOException, InterruptedException {
        FutureTask<CommandResult> task = new FutureTask<>(() -> run(step, command));
        Thread runner = new Thread(task, "command-" + step);
        runner.setDaemon(true);
        runner.start();
        try {
            return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            return CommandResult.timedOut(List.of(), timeout);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

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
        /** The exit code of a command that ran past its timeout (what timeout(1) exits with). */
        public static final int TIMED_OUT = 124;

        public CommandResult {
            output = List.copyOf(output);
        }

        /** A command stopped after {@code timeout}: its output so far and a last line that says so. */
        public static CommandResult timedOut(List<String> output, Duration timeout) {
            List<String> lines = new java.util.ArrayList<>(output);
            lines.add("timed out after " + timeout.toSeconds() + " s");
            return new CommandResult(TIMED_OUT, lines);
        }

        public boolean timedOut() {
            return exitCode == TIMED_OUT;
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
