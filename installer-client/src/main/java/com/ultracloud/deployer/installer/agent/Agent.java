package com.ultracloud.deployer.installer.agent;

import com.ultracloud.deployer.installer.run.Backoff;
import com.ultracloud.deployer.installer.run.CommandExecutor;
import com.ultracloud.deployer.installer.run.CommandExecutor.CommandResult;
import com.ultracloud.deployer.installer.run.DeployerException;
import com.ultracloud.deployer.protocol.agent.ActivationReport;
import com.ultracloud.deployer.protocol.agent.DesiredSystem;
import com.ultracloud.deployer.protocol.agent.DirectiveReport;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The nix-agent's loop (docs/agent.md): first settle a staged reboot left by the previous boot (its state file),
 * then long-poll the desired system and activate each new one, or act on an operator's directive (kexec into the
 * installer). Network errors, 5xx and 429 are retried with
 * backoff and jitter; so are 4xx (a revoked or not yet known certificate may be restored), except with
 * {@code once}, which ends on them.
 */
public final class Agent {

    /** How the loop waits: the long-poll, the pause after a quick answer, health probing, error backoff. */
    public record Settings(Duration pollWait, Duration pollInterval, Duration healthInterval, Backoff backoff, boolean once) {
    }

    /** How many times a report is tried before the agent gives up on it (it then moves on; the deployer's deadline decides). */
    static final int REPORT_ATTEMPTS = 6;

    private final AgentClient client;
    private final CommandExecutor executor;
    private final SystemProfile profile;
    private final AgentState state;
    private final AgentClock clock;
    private final Settings settings;
    private final PrintWriter out;
    private final HealthGate gate;
    private Consumer<ActivationReport> observer = report -> { };

    public Agent(AgentClient client, CommandExecutor executor, SystemProfile profile, AgentState state, AgentClock clock,
                 Settings settings, PrintWriter out) {
        this(client, executor, profile, state, clock, settings, out, HttpProbe.real());
    }

    /** With {@code http} answering the health gate's http checks (the lab's simulated nodes). */
    public Agent(AgentClient client, CommandExecutor executor, SystemProfile profile, AgentState state, AgentClock clock,
                 Settings settings, PrintWriter out, HttpProbe http) {
        this.client = client;
        this.executor = executor;
        this.profile = profile;
        this.state = state;
        this.clock = clock;
        this.settings = settings;
        this.out = out;
        this.gate = new HealthGate(executor, clock, settings.healthInterval(), http);
    }

    /** Also hands every report the agent makes to {@code observer} (the lab's summary), delivered or not. */
    public Agent observe(Consumer<ActivationReport> observer) {
        this.observer = observer;
        return this;
    }

    /** Runs until a reboot or kexec is asked for, or (with {@code once}) one desired system or pending confirm is handled. */
    public Outcome run() throws InterruptedException {
        Optional<Outcome> resumed = resumePendingConfirm();
        if (resumed.isPresent() && (settings.once() || resumed.get() == Outcome.REBOOTING)) {
            return resumed.get();
        }
        String etag = null;
        int failures = 0;
        while (true) {
            Instant asked = clock.now();
            AgentClient.Poll poll;
            try {
                poll = client.desiredSystem(etag, settings.pollWait());
                failures = 0;
                deliverUndelivered();
            } catch (DeployerException e) {
                if (settings.once() && !e.retryable()) {
                    throw e;
                }
                Duration delay = e.retryable() ? e.delay(settings.backoff(), failures++) : settings.backoff().max();
                line(e.getMessage() + "; asking again in " + delay.toMillis() + " ms");
                clock.sleep(delay);
                continue;
            }
            if (poll instanceof AgentClient.Poll.NothingDesired) {
                // nothing to hold a tag for: without If-None-Match the deployer holds the next poll until something is
                // desired (with the old tag it would say "nothing" again at once, and the agent would poll, not wait)
                etag = null;
            }
            if (poll instanceof AgentClient.Poll.Changed changed) {
                etag = changed.etag();
                Outcome outcome = handle(changed.desired());
                if (settings.once() || outcome == Outcome.REBOOTING || outcome == Outcome.KEXEC) {
                    return outcome;
                }
                if (outcome != Outcome.ALREADY_HANDLED) {
                    continue;
                }
            }
            // a deployer that answered at once (no long-poll, or nothing to wait on) is asked again after the interval
            if (Duration.between(asked, clock.now()).compareTo(settings.pollWait().dividedBy(2)) < 0) {
                clock.sleep(settings.pollInterval());
            }
        }
    }

    /** Acts on a directive, else activates {@code desired} unless this agent already handled it to the end. */
    Outcome handle(DesiredSystem desired) throws InterruptedException {
        if (desired.directive() != null) {
            return new DirectiveRun(client, executor, state, this::reportDirective, out).act(desired.directive());
        }
        Optional<AgentState.LastActivation> last = state.lastActivation();
        if (last.isPresent() && last.get().deploymentId().equals(desired.deploymentId())
                && last.get().generation() == desired.generation()) {
            line("deployment " + desired.deploymentId() + " generation " + desired.generation() + " was handled already ("
                    + last.get().result() + "); waiting for a new desired system");
            return Outcome.ALREADY_HANDLED;
        }
        return new Activation(executor, profile, state, gate, clock, this::report, out).activate(desired);
    }

    /**
     * After a staged reboot: confirm the new generation (it runs and passes its health check before the deadline)
     * or go back to the previous one as the boot default and reboot into it. Empty when nothing is pending.
     */
    Optional<Outcome> resumePendingConfirm() throws InterruptedException {
        Optional<AgentState.PendingConfirm> found = state.pendingConfirm();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        AgentState.PendingConfirm pending = found.get();
        Optional<String> running = profile.runningSystem();
        line("staged reboot of deployment " + pending.deploymentId() + " generation " + pending.generation() + " into "
                + pending.newSystem() + ": running " + running.orElse("unknown") + ", confirm deadline " + pending.deadline());
        if (running.isEmpty() || !running.get().equals(pending.newSystem())) {
            return Optional.of(revertStagedReboot(pending, running.orElse(null), "after the reboot the node runs "
                    + running.orElse("an unknown system") + ", not " + pending.newSystem()));
        }
        report(ActivationReport.started(pending.deploymentId(), pending.generation(), HealthGate.STEP, pending.newSystem(), null));
        Instant deadline = pending.deadlineInstant();
        HealthGate.Verdict verdict = clock.now().isBefore(deadline) ? gate.await(pending.healthCheck(), deadline)
                : new HealthGate.Verdict(false, "the node came up after the confirm deadline " + deadline);
        if (!verdict.healthy()) {
            return Optional.of(revertStagedReboot(pending, pending.newSystem(), "not confirmed by " + deadline + ": " + verdict.detail()));
        }
        finish(pending, ActivationReport.HEALTHY, pending.newSystem(), "confirmed after the reboot: " + verdict.detail());
        state.clearPendingConfirm();
        return Optional.of(Outcome.HEALTHY);
    }

    /** The staged generation did not confirm: the previous one becomes the boot default again, and the node boots it. */
    private Outcome revertStagedReboot(AgentState.PendingConfirm pending, String running, String cause) throws InterruptedException {
        String old = pending.previousSystem();
        if (!DesiredSystem.ROLLBACK_AUTOMATIC.equals(pending.rollback()) || old == null) {
            state.clearPendingConfirm();
            finish(pending, ActivationReport.FAILED, running, cause + (old == null ? "; no previous generation to restore"
                    : "; rollback is none: left as it is"));
            return Outcome.FAILED;
        }
        line(cause + "; restoring " + old);
        CommandResult set = run("rollback", List.of("nix-env", "-p", SystemProfile.PROFILE, "--set", old));
        CommandResult boot = set.succeeded() ? run("rollback", List.of(old + "/bin/switch-to-configuration", "boot")) : set;
        state.clearPendingConfirm();
        if (!boot.succeeded()) {
            finish(pending, ActivationReport.FAILED, running, cause + "; restoring " + old + " failed too: "
                    + Activation.failure("rollback", boot));
            return Outcome.FAILED;
        }
        if (old.equals(running)) {
            // the node came up in the old system already (boot loader fallback): it is the boot default again, no reboot needed
            finish(pending, ActivationReport.ROLLED_BACK, old, cause + "; " + old + " runs and is the boot default again");
            return Outcome.ROLLED_BACK;
        }
        // reported before the reboot: the agent that starts afterwards has nothing pending and nothing to say
        finish(pending, ActivationReport.ROLLED_BACK, old, cause + "; " + old + " is the boot default again; rebooting into it");
        CommandResult reboot = run("reboot", List.of("systemctl", "reboot"));
        if (!reboot.succeeded()) {
            line("systemctl reboot failed: " + Activation.failure("systemctl reboot", reboot) + "; reboot the node by hand");
            return Outcome.ROLLED_BACK;
        }
        return Outcome.REBOOTING;
    }

    private void finish(AgentState.PendingConfirm pending, String result, String running, String message) {
        line(pending.deploymentId() + " generation " + pending.generation() + ": " + result + ": " + message);
        report(new ActivationReport(pending.deploymentId(), result, running, pending.generation(), message, "confirm"));
        state.saveLastActivation(new AgentState.LastActivation(pending.deploymentId(), pending.generation(), result));
    }

    private CommandResult run(String step, List<String> command) throws InterruptedException {
        try {
            return executor.run(step, command);
        } catch (IOException e) {
            return new CommandResult(127, List.of("cannot run " + command.get(0) + ": " + e.getMessage()));
        }
    }

    /**
     * Sends a report, retrying network errors and 5xx a few times; a dry run only prints it. A final report
     * ({@code healthy}, {@code failed}, {@code rolled-back}) that still cannot be delivered is kept in the state
     * directory and sent again once the deployer answers a poll (the rollout waits for it; a gateway restart must
     * not turn a healthy machine into a timed-out one).
     */
    void report(ActivationReport report) {
        observer.accept(report);
        if (executor.dryRun()) {
            line("[dry-run] would report " + report.result() + " (" + report.step() + ")");
            return;
        }
        if (report.isFinal()) {
            state.clearUndeliveredReport(); // a newer verdict replaces an older one that never arrived
        }
        DeployerException failed;
        try {
            failed = deliver(() -> client.report(report));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (failed != null) {
            boolean kept = failed.retryable() && report.isFinal();
            line("report " + report.result() + " (" + report.step() + ") not delivered: " + failed.getMessage()
                    + (kept ? "; kept, to be sent again once the deployer answers" : ""));
            if (kept) {
                state.saveUndeliveredReport(report);
            }
        }
    }

    /** Sends what became of a directive, retrying as {@link #report} does; a dry run only prints it. */
    DirectiveRun.Delivery reportDirective(DirectiveReport report) throws InterruptedException {
        if (executor.dryRun()) {
            line("[dry-run] would report directive " + report.id() + " " + report.result());
            return DirectiveRun.Delivery.DELIVERED;
        }
        DeployerException failed = deliver(() -> client.reportDirective(report));
        if (failed == null) {
            return DirectiveRun.Delivery.DELIVERED;
        }
        line("directive report " + report.result() + " not delivered: " + failed.getMessage());
        return failed.retryable() ? DirectiveRun.Delivery.UNREACHABLE : DirectiveRun.Delivery.REFUSED;
    }

    /** One request to the deployer. */
    private interface Call {
        void send() throws InterruptedException;
    }

    /** Sends, retrying network errors and 5xx up to {@value #REPORT_ATTEMPTS} times: null once delivered, else why not. */
    private DeployerException deliver(Call call) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                call.send();
                return null;
            } catch (DeployerException e) {
                if (!e.retryable() || attempt + 1 >= REPORT_ATTEMPTS) {
                    return e;
                }
                Duration delay = e.delay(settings.backoff(), attempt);
                line(e.getMessage() + "; retrying the report in " + delay.toMillis() + " ms");
                clock.sleep(delay);
            }
        }
    }

    /** Sends the final report kept by an earlier failure to deliver it, once; kept again if the deployer fails again. */
    private void deliverUndelivered() throws InterruptedException {
        Optional<ActivationReport> kept = state.undeliveredReport();
        if (kept.isEmpty()) {
            return;
        }
        ActivationReport report = kept.get();
        try {
            client.report(report);
            state.clearUndeliveredReport();
            line("delivered the kept report " + report.result() + " of deployment " + report.deploymentId() + " generation "
                    + report.generation());
        } catch (DeployerException e) {
            if (!e.retryable()) {
                state.clearUndeliveredReport(); // refused for good: sending it again would be refused again
                line("the kept report " + report.result() + " was refused: " + e.getMessage());
            }
        }
    }

    private void line(String s) {
        out.println(s);
        out.flush();
    }
}
