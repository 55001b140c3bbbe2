package com.ultracloud.deployer.installer.agent;

import com.ultracloud.deployer.installer.run.CommandExecutor;
import com.ultracloud.deployer.installer.run.CommandExecutor.CommandResult;
import com.ultracloud.deployer.protocol.agent.ActivationReport;
import com.ultracloud.deployer.protocol.agent.DesiredSystem;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Activates one desired system with deploy-rs semantics (docs/agent.md), every command through the executor and
 * every step reported:
 * <ol>
 *   <li>remember the previous generation (what {@value SystemProfile#PROFILE} points at);</li>
 *   <li>{@code build} (flake targets only): {@code nix build --no-link --print-out-paths <flake>#nixosConfigurations.<configuration>.config.system.build.toplevel};</li>
 *   <li>{@code set-profile}: {@code nix-env -p /nix/var/nix/profiles/system --set <path>};</li>
 *   <li>{@code activate}: {@code <path>/bin/switch-to-configuration test} ({@code switch}), or {@code boot}
 *       ({@code boot}, and {@code switch} when the new system's kernel, initrd or kernel modules differ from the
 *       booted system's); build, profile and activation share the activation timeout;</li>
 *   <li>{@code switch}: the health gate within the confirm timeout, then {@code boot-default}:
 *       {@code <path>/bin/switch-to-configuration boot} — the new generation becomes the boot default only once
 *       healthy; {@code boot}: the pending-confirm state file, then {@code reboot}: {@code systemctl reboot}.</li>
 * </ol>
 * A failed or timed-out activation, a failed health gate or boot-default step rolls back (rollback
 * {@code automatic}): {@code nix-env -p … --set <previous>} and {@code <previous>/bin/switch-to-configuration switch}.
 */
final class Activation {

    static final String PROFILE = SystemProfile.PROFILE;
    /** What a dry run prints in place of the path nix build would print. */
    static final String DRY_RUN_BUILD = "/nix/store/<built-by-nix-build>";

    private final CommandExecutor executor;
    private final SystemProfile profile;
    private final AgentState state;
    private final HealthGate gate;
    private final AgentClock clock;
    private final Consumer<ActivationReport> reports;
    private final PrintWriter out;

    Activation(CommandExecutor executor, SystemProfile profile, AgentState state, HealthGate gate, AgentClock clock,
               Consumer<ActivationReport> reports, PrintWriter out) {
        this.executor = executor;
        this.profile = profile;
        this.state = state;
        this.gate = gate;
        this.clock = clock;
        this.reports = reports;
        this.out = out;
    }

    /** A step that went wrong: which, and one line saying how. */
    private record Failure(String step, String message) {
    }

    Outcome activate(DesiredSystem desired) throws InterruptedException {
        Optional<String> previous = profile.profileSystem();
        String running = profile.runningSystem().or(() -> previous).orElse(null);
        Instant activationDeadline = clock.now().plusSeconds(desired.activationTimeoutSeconds());
        line("deployment " + desired.deploymentId() + " generation " + desired.generation() + ": " + describe(desired)
                + " (" + desired.activation() + "); previous generation " + previous.orElse("unknown"));

        String path = desired.system().storePath();
        if (path == null) {
            started(desired, "build", running);
            CommandResult built = run("build", List.of("nix", "build", "--no-link", "--print-out-paths",
                    desired.system().flakeInstallable()), activationDeadline);
            path = built.succeeded() ? lastStorePath(built.output()) : null;
            if (path == null && built.succeeded() && executor.dryRun()) {
                path = DRY_RUN_BUILD; // nothing was built: the commands that follow are only printed
            }
            if (path == null) {
                return finish(desired, ActivationReport.FAILED, running, "build", built.succeeded()
                        ? "nix build printed no /nix/store path" : failure("nix build", built));
            }
        }

        started(desired, "set-profile", running);
        CommandResult set = run("set-profile", List.of("nix-env", "-p", PROFILE, "--set", path), activationDeadline);
        if (!set.succeeded()) {
            // nix-env --set switches the profile link atomically: a failure leaves the previous generation in place
            return finish(desired, ActivationReport.FAILED, running, "set-profile", failure("nix-env --set", set));
        }

        if (DesiredSystem.BOOT.equals(desired.activation())) {
            return stageReboot(desired, path, previous, running, activationDeadline);
        }
        List<String> bootFiles = profile.bootFilesChangedBy(path);
        if (!bootFiles.isEmpty()) {
            // switch-to-configuration test cannot load another kernel or initrd: only a reboot brings them
            line("the new system's " + String.join(", ", bootFiles) + " differ from the booted system's: a staged reboot "
                    + "instead of switch-to-configuration test");
            return stageReboot(desired, path, previous, running, activationDeadline);
        }

        started(desired, "activate", running);
        CommandResult test = run("activate", List.of(path + "/bin/switch-to-configuration", "test"), activationDeadline);
        running = path; // from here on the new system is (at least partly) active
        if (!test.succeeded()) {
            return rollBack(desired, previous, running, new Failure("activate", failure("switch-to-configuration test", test)));
        }

        started(desired, HealthGate.STEP, running);
        // a dry run activated nothing, so there is nothing to probe
        HealthGate.Verdict verdict = executor.dryRun() ? new HealthGate.Verdict(true, "dry run: " + describe(desired.healthCheck()) + " not probed")
                : gate.await(desired.healthCheck(), clock.now().plusSeconds(desired.confirmTimeoutSeconds()));
        if (!verdict.healthy()) {
            return rollBack(desired, previous, running, new Failure(HealthGate.STEP, "health check failed: " + verdict.detail()));
        }

        started(desired, "boot-default", running);
        CommandResult boot = run("boot-default", List.of(path + "/bin/switch-to-configuration", "boot"), null);
        if (!boot.succeeded()) {
            return rollBack(desired, previous, running, new Failure("boot-default", failure("switch-to-configuration boot", boot)));
        }
        return finish(desired, ActivationReport.HEALTHY, running, "boot-default", verdict.detail());
    }

    /** {@code boot}: the new generation becomes the boot default, the confirm is staged in the state file, and the node reboots. */
    private Outcome stageReboot(DesiredSystem desired, String path, Optional<String> previous, String running,
                                Instant activationDeadline) throws InterruptedException {
        started(desired, "activate", running);
        CommandResult boot = run("activate", List.of(path + "/bin/switch-to-configuration", "boot"), activationDeadline);
        if (!boot.succeeded()) {
            // the old system still runs; only the boot default has to go back
            return restoreBootDefault(desired, previous, running, new Failure("activate", failure("switch-to-configuration boot", boot)));
        }
        // the reboot and the new system's start-up count against the activation timeout, then the confirm timeout runs
        Instant deadline = clock.now().plusSeconds(desired.activationTimeoutSeconds()).plusSeconds(desired.confirmTimeoutSeconds());
        state.savePendingConfirm(new AgentState.PendingConfirm(desired.deploymentId(), desired.generation(), path,
                previous.orElse(null), deadline, desired.healthCheck(), desired.rollback()));
        started(desired, "reboot", running);
        line("rebooting into " + path + "; it must confirm (running, " + describe(desired.healthCheck()) + ") by " + deadline);
        CommandResult reboot = run("reboot", List.of("systemctl", "reboot"), null);
        if (!reboot.succeeded()) {
            state.clearPendingConfirm();
            return restoreBootDefault(desired, previous, running, new Failure("reboot", failure("systemctl reboot", reboot)));
        }
        return Outcome.REBOOTING;
    }

    /** Back to the previous generation, running: profile and {@code switch-to-configuration switch}. */
    private Outcome rollBack(DesiredSystem desired, Optional<String> previous, String running, Failure cause)
            throws InterruptedException {
        if (!desired.rollsBackAutomatically()) {
            return finish(desired, ActivationReport.FAILED, running, cause.step(), cause.message() + "; rollback is none: left as it is");
        }
        if (previous.isEmpty()) {
            return finish(desired, ActivationReport.FAILED, running, cause.step(), cause.message()
                    + "; no previous generation to roll back to (" + PROFILE + " was not a link to a system)");
        }
        String old = previous.get();
        line(cause.message() + "; rolling back to " + old);
        CommandResult set = run("rollback", List.of("nix-env", "-p", PROFILE, "--set", old), null);
        CommandResult switched = set.succeeded() ? run("rollback", List.of(old + "/bin/switch-to-configuration", "switch"), null) : set;
        if (!switched.succeeded()) {
            return finish(desired, ActivationReport.FAILED, running, cause.step(), cause.message() + "; the rollback to " + old
                    + " failed too: " + failure(set.succeeded() ? "switch-to-configuration switch" : "nix-env --set", switched));
        }
        return finish(desired, ActivationReport.ROLLED_BACK, old, cause.step(), cause.message() + "; rolled back to " + old);
    }

    /** Before a staged reboot: the old system still runs, so only the profile and the boot default go back. */
    private Outcome restoreBootDefault(DesiredSystem desired, Optional<String> previous, String running, Failure cause)
            throws InterruptedException {
        if (!desired.rollsBackAutomatically() || previous.isEmpty()) {
            return finish(desired, ActivationReport.FAILED, running, cause.step(), cause.message()
                    + (previous.isEmpty() ? "; no previous generation to restore" : "; rollback is none: left as it is"));
        }
        String old = previous.get();
        CommandResult set = run("rollback", List.of("nix-env", "-p", PROFILE, "--set", old), null);
        CommandResult boot = set.succeeded() ? run("rollback", List.of(old + "/bin/switch-to-configuration", "boot"), null) : set;
        if (!boot.succeeded()) {
            return finish(desired, ActivationReport.FAILED, running, cause.step(), cause.message()
                    + "; restoring " + old + " as the boot default failed too: " + failure("rollback", boot));
        }
        return finish(desired, ActivationReport.ROLLED_BACK, old, cause.step(), cause.message() + "; " + old + " is the boot default again");
    }

    private Outcome finish(DesiredSystem desired, String result, String running, String step, String message) {
        line(desired.deploymentId() + " generation " + desired.generation() + ": " + result + " (" + step + "): " + message);
        reports.accept(new ActivationReport(desired.deploymentId(), result, running, desired.generation(), message, step));
        state.saveLastActivation(new AgentState.LastActivation(desired.deploymentId(), desired.generation(), result));
        return switch (result) {
            case ActivationReport.HEALTHY -> Outcome.HEALTHY;
            case ActivationReport.ROLLED_BACK -> Outcome.ROLLED_BACK;
            default -> Outcome.FAILED;
        };
    }

    private void started(DesiredSystem desired, String step, String running) {
        reports.accept(ActivationReport.started(desired.deploymentId(), desired.generation(), step, running, null));
    }

    /** Runs a command, within what is left until {@code deadline} (null: no timeout); a failure to start is exit 127. */
    private CommandResult run(String step, List<String> command, Instant deadline) throws InterruptedException {
        try {
            if (deadline == null) {
                return executor.run(step, command);
            }
            Duration left = Duration.between(clock.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                return CommandResult.timedOut(List.of(), Duration.ZERO);
            }
            return executor.run(step, command, left);
        } catch (IOException e) {
            return new CommandResult(127, List.of("cannot run " + command.get(0) + ": " + e.getMessage()));
        }
    }

    static String failure(String what, CommandResult r) {
        if (r.timedOut()) {
            return what + " ran past the activation timeout";
        }
        String last = r.output().isEmpty() ? "" : ": " + AgentClient.oneLine(r.output().get(r.output().size() - 1));
        return what + " exited " + r.exitCode() + last;
    }

    private static String lastStorePath(List<String> output) {
        for (int i = output.size() - 1; i >= 0; i--) {
            String line = output.get(i).trim();
            if (line.startsWith("/nix/store/") && !line.contains(" ")) {
                return line;
            }
        }
        return null;
    }

    static String describe(DesiredSystem desired) {
        return desired.system().storePath() != null ? desired.system().storePath() : desired.system().flakeInstallable();
    }

    static String describe(DesiredSystem.HealthCheck check) {
        if (check == null) {
            return "no health check";
        }
        return DesiredSystem.HealthCheck.HTTP.equals(check.type()) ? "GET " + check.url() + " answers " + check.expectStatus()
                : com.ultracloud.deployer.installer.run.Commands.display(check.argv()) + " exits 0";
    }

    private void line(String s) {
        out.println(s);
        out.flush();
    }
}
