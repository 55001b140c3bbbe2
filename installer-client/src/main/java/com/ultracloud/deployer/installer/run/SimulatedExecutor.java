package com.ultracloud.deployer.installer.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Stands in for disko, nixos-install and the reboot (the lab, tests): records the exact commands,
 * writes files for real (into the simulated target), and fails the steps {@code failStep} says
 * to fail, with an output whose tail names the step.
 */
public final class SimulatedExecutor implements CommandExecutor {

    /** One recorded command. */
    public record Recorded(String step, List<String> command) {
        public Recorded {
            command = List.copyOf(command);
        }
    }

    private final Predicate<String> failStep;
    private final List<Recorded> recorded = new ArrayList<>();
    private final Map<String, Deque<CommandResult>> scripted = new HashMap<>();

    /** @param failStep asked once per command with its step; true makes that command fail (exit 1) */
    public SimulatedExecutor(Predicate<String> failStep) {
        this.failStep = failStep;
    }

    public static SimulatedExecutor succeeding() {
        return new SimulatedExecutor(step -> false);
    }

    /**
     * Scripts the results of {@code step}'s next commands, in order; the last one repeats. A result with exit
     * {@value CommandResult#TIMED_OUT} stands for a command that hangs past its timeout. Steps without a script
     * succeed or fail as {@code failStep} says.
     */
    public synchronized SimulatedExecutor answer(String step, CommandResult... results) {
        scripted.computeIfAbsent(step, s -> new ArrayDeque<>()).addAll(List.of(results));
        return this;
    }

    /** {@code step}'s commands hang: with a timeout they end {@link CommandResult#timedOut()}, at once (nothing sleeps). */
    public SimulatedExecutor hang(String step) {
        return answer(step, new CommandResult(CommandResult.TIMED_OUT, List.of("simulated: hangs")));
    }

    @Override
    public CommandResult run(String step, List<String> command, Duration timeout) {
        CommandResult result = run(step, command);
        return result.timedOut() ? CommandResult.timedOut(result.output(), timeout) : result;
    }

    @Override
    public synchronized CommandResult run(String step, List<String> command) {
        recorded.add(new Recorded(step, command));
        Deque<CommandResult> script = scripted.get(step);
        if (script != null && !script.isEmpty()) {
            return script.size() > 1 ? script.removeFirst() : script.getFirst();
        }
        List<String> output = new ArrayList<>();
        output.add("simulated: " + Commands.display(command));
        if (failStep.test(step)) {
            for (int i = 1; i <= 60; i++) {
                output.add("simulated " + step + " output line " + i);
            }
            output.add("error: simulated failure of step " + step);
            return new CommandResult(1, output);
        }
        output.add("simulated: done");
        return new CommandResult(0, output);
    }

    @Override
    public void writeFile(Path file, byte[] content, String permissions) throws IOException {
        TargetFiles.write(file, content, permissions);
    }

    /** The commands run so far, in order. */
    public synchronized List<Recorded> recorded() {
        return List.copyOf(recorded);
    }
}
