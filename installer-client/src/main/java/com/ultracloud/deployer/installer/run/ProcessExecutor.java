package com.ultracloud.deployer.installer.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

    @Override
    public void writeFile(Path file, byte[] content, String permissions) throws IOException {
        TargetFiles.write(file, content, permissions);
    }
}
