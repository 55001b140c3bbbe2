package com.ultracloud.deployer.installer.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Runs commands for real (ProcessBuilder, stderr merged into stdout). Output is echoed to the console
 * line by line and the last {@value #KEPT_LINES} lines are kept for the failure report.
 */
public final class ProcessExecutor implements CommandExecutor {

    static final int KEPT_LINES = 500;

    private final PrintWriter console;

    public ProcessExecutor(PrintWriter console) {
        this.console = console;
    }

    @Override
    public CommandResult run(String step, List<String> command) throws IOException, InterruptedException {
        console.println("+ " + Commands.display(command));
        console.flush();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        Deque<String> kept = new ArrayDeque<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                console.println(line);
                kept.addLast(line);
                if (kept.size() > KEPT_LINES) {
                    kept.removeFirst();
                }
            }
        }
        console.flush();
        return new CommandResult(process.waitFor(), List.copyOf(kept));
    }

    /** Kills the command (and what it started) when it runs past {@code timeout}; its output so far is kept. */
    @Override
    public CommandResult run(String step, List<String> command, Duration timeout) throws IOException, InterruptedException {
        console.println("+ " + Commands.display(command) + "  (timeout " + timeout.toSeconds() + " s)");
        console.flush();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        Deque<String> kept = new ArrayDeque<>();
        // the output is read on its own thread so the wait below can time out while the command is silent
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    synchronized (kept) {
                        console.println(line);
                        kept.addLast(line);
                        if (kept.size() > KEPT_LINES) {
                            kept.removeFirst();
                        }
                    }
                }
            } catch (IOException e) {
                // the process was killed and its pipe closed: what was read is kept
            }
        }, "output-" + step);
        reader.setDaemon(true);
        reader.start();
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor();
            reader.join(1000);
            console.flush();
            synchronized (kept) {
                return CommandResult.timedOut(List.copyOf(kept), timeout);
            }
        }
        reader.join();
        console.flush();
        synchronized (kept) {
            return new CommandResult(process.exitValue(), List.copyOf(kept));
        }
    }

    @Override
    public void writeFile(Path file, byte[] content, String permissions) throws IOException {
        TargetFiles.write(file, content, permissions);
    }
}
