package com.ultracloud.deployer.installer.run;

import com.ultracloud.deployer.protocol.BootstrapPlan;
import com.ultracloud.deployer.protocol.DiscoverResponse;
import com.ultracloud.deployer.protocol.MachineInventory;
import com.ultracloud.deployer.protocol.seal.InstallerKey;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * One boot of the installer image ({@code installer run}; the lab runs the same code per machine):
 * discover (with this boot's public key) → wait while the deployer says {@code wait} (discover is a long-poll
 * of up to {@code discoverWait}: the deployer answers as soon as the instruction changes; an older deployer that
 * answers at once is asked again after {@code pollAfterSeconds}, as before) → fetch the plan with
 * the install token (long-poll; a 403 means the token was superseded: discover again) → {@link Installation}
 * (which opens the plan's sealed secrets with this boot's private key) → done.
 * Network errors and 5xx are retried with {@link Backoff}; other 4xx end the run with a
 * {@link DeployerException}. A failed install attempt ends the run (the ISO's systemd unit restarts
 * it, the lab loops): the next run discovers again and gets the deployer's new plan and token.
 */
public final class Installer {

    /**
     * @param planWait    how long the deployer may hold one plan long-poll
     * @param discoverWait how long the deployer may hold one discover while the answer is {@code wait} (ZERO:
     *                    answered at once, then {@code pollAfterSeconds} of sleep, as before the long-poll; the
     *                    lab's operator, which acts on every answer, wants that)
     * @param stopStates  machine states at which to stop waiting (the lab: {@code FAILED}); empty = wait as told
     * @param deadline    give up waiting at this instant (null: never)
     * @param onDiscover  called with every discover answer (the lab acts as the operator from here); a
     *                    non-null answer is a reason to stop waiting
     */
    public record Settings(Path target, String diskoConfig, Duration planWait, Duration discoverWait, Backoff backoff,
                           Set<String> stopStates, Instant deadline, Function<DiscoverResponse, String> onDiscover,
                           Path rescueKeys) {
        /** Where the installer image's sshd reads authorized keys from (nix/iso/installer.nix). */
        public static final Path RESCUE_KEYS = Path.of("/run/ultracloud/authorized_keys");

        public Settings {
            stopStates = Set.copyOf(stopStates);
            onDiscover = onDiscover == null ? d -> null : onDiscover;
            discoverWait = discoverWait == null || discoverWait.isNegative() ? Duration.ZERO : discoverWait;
            rescueKeys = rescueKeys == null ? RESCUE_KEYS : rescueKeys;
        }

        public Settings(Path target, String diskoConfig, Duration planWait, Duration discoverWait, Backoff backoff,
                        Set<String> stopStates, Instant deadline, Function<DiscoverResponse, String> onDiscover) {
            this(target, diskoConfig, planWait, discoverWait, backoff, stopStates, deadline, onDiscover, null);
        }

        /** Discover long-polls as long as the plan does. */
        public Settings(Path target, String diskoConfig, Duration planWait, Backoff backoff, Set<String> stopStates,
                        Instant deadline, Function<DiscoverResponse, String> onDiscover) {
            this(target, diskoConfig, planWait, planWait, backoff, stopStates, deadline, onDiscover);
        }

        public static Settings defaults(Path target) {
            return new Settings(target, "/etc/ultracloud/disko", Duration.ofSeconds(30), Backoff.DEFAULT, Set.of(), null, null);
        }
    }

    private static final String RESCUE = "rescue";
    /** States with an installed system to boot into when a rescue ends. */
    private static final Set<String> INSTALLED_STATES = Set.of("INSTALLED", "ACTIVE", "DRAINING");

    private final DeployerClient client;
    private final MachineInventory facts;
    private final InstallerKey key;
    private final CommandExecutor executor;
    private final Settings settings;
    private final Console console;
    private final StatusFile status;
    private int attempts;

    /**
     * @param key this boot's key: its public half goes with every discover, the plan's secrets are sealed to it
     */
    public Installer(DeployerClient client, MachineInventory facts, InstallerKey key, CommandExecutor executor,
                     Settings settings, PrintWriter out, String consolePrefix, StatusFile status) {
        this.client = client;
        this.facts = facts.withInstallerKey(key.publicKeyBase64());
        this.key = key;
        this.executor = executor;
        this.settings = settings;
        this.console = new Console(out, consolePrefix);
        this.status = status == null ? null : status.withInstallerKey(key.fingerprint());
    }

    /** Install attempts this installer made (plans fetched and acted on). */
    public int attempts() {
        return attempts;
    }

    public InstallOutcome run() throws InterruptedException {
        String machineId = null;
        String state = null;
        boolean rescueReady = false; // this boot wrote the operators' keys and runs sshd (issue 11)
        // an operator asked to approve a new installer (deployer.bootstrap.rebind=operator) compares this
        console.line("installer key " + key.fingerprint());
        while (true) {
            Instant asked = Instant.now();
            // the boot's first discover is answered at once, so the console says what the machine waits
            // for; the ones after it long-poll until that changes
            boolean first = machineId == null;
            Duration wait = first ? Duration.ZERO : longPoll();
            boolean ready = rescueReady;
            DiscoverResponse d = retrying("discover", machineId, state, () -> client.discover(facts, wait, ready));
            boolean held = !wait.isZero() && !Duration.between(asked, Instant.now()).minus(wait.dividedBy(2)).isNegative();
            machineId = d.machineId();
            state = d.state();
            String stop = settings.onDiscover().apply(d);
            if (stop != null) {
                status(machineId, state, "stopped: " + stop);
                return new InstallOutcome(InstallOutcome.Result.STOPPED, machineId, null, state, null, attempts, stop);
            }
            if (settings.stopStates().contains(state)) {
                status(machineId, state, "stopped: machine is " + state);
                return new InstallOutcome(InstallOutcome.Result.STOPPED, machineId, null, state, null, attempts,
                        "machine is " + state);
            }
            if (RESCUE.equals(d.instruction())) {
                if (!rescueReady) {
                    rescueReady = enterRescue(machineId, state, d);
                    if (rescueReady) {
                        continue; // say so at once: the detail shows where to reach the machine
                    }
                } else {
                    status(machineId, state, "in rescue: operators may log in by SSH (keys from the cluster intent)");
                }
                if (!held && !sleep(Duration.ofSeconds(Math.max(1, d.pollAfterSeconds())))) {
                    return timedOut(machineId, state);
                }
                continue; // a heartbeat: the deployer holds it until an operator ends the rescue
            }
            if (rescueReady) {
                rescueReady = false;
                if (INSTALLED_STATES.contains(state)) {
                    return leaveRescue(machineId, state);
                }
                console.line("rescue ended; machine " + machineId + " is " + state + " and has no installed system to boot");
            }
            if (!"install".equals(d.instruction()) || d.installToken() == null) {
                String waitingFor = d.message() != null ? d.message() : waitingFor(d);
                status(machineId, state, "waiting for " + waitingFor);
                if (held || first && !settings.discoverWait().isZero()) {
                    // the deployer held the answer (long-poll) and nothing changed, or this was the boot's
                    // first discover: ask again at once (a long-poll from now on)
                    console.line("machine " + machineId + " is " + state + "; waiting for " + waitingFor);
                    if (pastDeadline()) {
                        return timedOut(machineId, state);
                    }
                    continue;
                }
                int poll = Math.max(1, d.pollAfterSeconds());
                console.line("machine " + machineId + " is " + state + "; waiting for " + waitingFor
                        + " (asking again in " + poll + " s)");
                if (!sleep(Duration.ofSeconds(poll))) {
                    return timedOut(machineId, state);
                }
                continue;
            }
            Optional<BootstrapPlan> plan = fetchPlan(machineId, state, d.installToken());
            if (plan == null) {
                if (pastDeadline()) {
                    return timedOut(machineId, state);
                }
                continue; // token superseded: discover again
            }
            attempts++;
            status(machineId, "INSTALLING", "installing plan " + plan.get().plan().planId());
            InstallOutcome outcome = new Installation(client, this, d.installToken(), facts, key, executor, settings, console)
                    .perform(machineId, plan.get(), attempts);
            status(machineId, outcome.state(), outcome.installed() ? "installed; rebooting"
                    : "install attempt failed: " + outcome.failure());
            return outcome;
        }
    }

    /**
     * Rescue: writes the intent's operator keys where the image's sshd reads them and makes sure sshd runs.
     * Nothing on the disks is touched. False (not ready) when there are no keys or sshd does not start: the
     * machine then stays "booted" in the detail, and the next discover tries again.
     */
    private boolean enterRescue(String machineId, String state, DiscoverResponse d) throws InterruptedException {
        List<String> keys = d.operatorSshKeys() == null ? List.of() : d.operatorSshKeys();
        if (keys.isEmpty()) {
            console.line("rescue requested, but the cluster intent names no operatorSshKeys: nobody could log in; "
                    + "add them to the intent (cluster.operatorSshKeys) and import it");
            status(machineId, state, "rescue requested; the cluster intent names no operator SSH keys");
            return false;
        }
        try {
            executor.writeFile(settings.rescueKeys(), (String.join("\n", keys) + "\n").getBytes(StandardCharsets.UTF_8),
                    "rw-------");
            CommandExecutor.CommandResult sshd = executor.run(RESCUE, List.of("systemctl", "start", "sshd.service"));
            if (sshd.exitCode() != 0) {
                console.line("rescue: sshd did not start (exit " + sshd.exitCode() + "): " + String.join(" | ", sshd.output()));
                status(machineId, state, "rescue requested; sshd did not start");
                return false;
            }
        } catch (IOException e) {
            console.line("rescue: " + e.getMessage());
            status(machineId, state, "rescue requested; " + e.getMessage());
            return false;
        }
        console.line("machine " + machineId + " is in rescue: " + keys.size() + " operator key(s) in " + settings.rescueKeys()
                + ", sshd running; nothing on the disks is touched");
        status(machineId, state, "in rescue: operators may log in by SSH (keys from the cluster intent)");
        return true;
    }

    /** An operator ended the rescue of an installed machine: boot its own system again. */
    private InstallOutcome leaveRescue(String machineId, String state) throws InterruptedException {
        console.line("rescue ended; machine " + machineId + " is " + state + "; rebooting into its installed system");
        status(machineId, state, "rescue ended; rebooting into the installed system");
        try {
            executor.run("rescue-exit", List.of("systemctl", "reboot"));
        } catch (IOException e) {
            console.line("reboot failed: " + e.getMessage());
        }
        return new InstallOutcome(InstallOutcome.Result.RESCUE_ENDED, machineId, null, state, null, attempts, null);
    }

    /** The plan, or null when the token was refused (403) and discover must be asked again. */
    private Optional<BootstrapPlan> fetchPlan(String machineId, String state, String token) throws InterruptedException {
        while (true) {
            Optional<BootstrapPlan> plan;
            try {
                plan = retrying("plan", machineId, state, () -> client.plan(token, machineId, settings.planWait()));
            } catch (DeployerException e) {
                if (!e.forbidden()) {
                    throw e;
                }
                console.line("the install token was refused (" + e.getMessage() + "); discovering again");
                return null;
            }
            if (plan.isPresent()) {
                return plan;
            }
            console.line("machine " + machineId + " is " + state + "; waiting for its install plan");
            status(machineId, state, "waiting for the install plan");
            if (pastDeadline()) {
                return null;
            }
        }
    }

    <T> T retrying(String what, String machineId, String state, Callable<T> call) throws InterruptedException {
        for (int retry = 0; ; retry++) {
            try {
                return call.call();
            } catch (DeployerException e) {
                if (!e.retryable()) {
                    throw e;
                }
                Duration delay = e.delay(settings.backoff(), retry);
                console.line(e.getMessage() + "; retrying in " + delay.toMillis() + " ms (attempt " + (retry + 2) + ")");
                status(machineId, state, "waiting for the deployer at " + client.base() + " (" + what + " failed)");
                if (!sleep(delay)) {
                    throw new DeployerException(0, what + ": gave up waiting for the deployer at " + client.base()
                            + " (" + e.getMessage() + ")", e);
                }
            } catch (InterruptedException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static String waitingFor(DiscoverResponse d) {
        return switch (d.state() == null ? "" : d.state()) {
            case "DISCOVERED", "INSPECTING", "INSPECTED" -> "an operator or an enrollment rule to commission and install it";
            case "COMMISSIONED" -> "an operator to request the install";
            case "INSTALL_PENDING" -> "the deployer to issue the install plan";
            case "INSTALLING" -> "the deployer to settle the interrupted install";
            case "INSTALLED" -> "an operator (the machine is installed; reprovision to install again)";
            case "FAILED" -> "an operator to recover the machine";
            default -> "an operator";
        };
    }

    private InstallOutcome timedOut(String machineId, String state) {
        status(machineId, state, "gave up waiting");
        return new InstallOutcome(InstallOutcome.Result.TIMED_OUT, machineId, null, state, null, attempts,
                "timed out while the machine was " + state);
    }

    /** The long-poll wait of the next discover: {@code discoverWait}, but never past the deadline. */
    private Duration longPoll() {
        Duration wait = settings.discoverWait();
        if (settings.deadline() == null || wait.isZero()) {
            return wait;
        }
        Duration left = Duration.between(Instant.now(), settings.deadline());
        return left.isNegative() ? Duration.ZERO : left.compareTo(wait) < 0 ? left : wait;
    }

    private boolean pastDeadline() {
        return settings.deadline() != null && Instant.now().isAfter(settings.deadline());
    }

    /** Sleeps, but never past the deadline; false when the deadline has passed. */
    private boolean sleep(Duration d) throws InterruptedException {
        if (settings.deadline() != null) {
            Duration left = Duration.between(Instant.now(), settings.deadline());
            if (left.isNegative() || left.isZero()) {
                return false;
            }
            if (left.compareTo(d) < 0) {
                Thread.sleep(left.toMillis());
                return false;
            }
        }
        Thread.sleep(d.toMillis());
        return true;
    }

    private void status(String machineId, String state, String doing) {
        if (status != null && !executor.dryRun()) {
            status.write(machineId, state, doing);
        }
    }

    /** Console lines, prefixed (the lab prefixes the machine). */
    record Console(PrintWriter out, String prefix) {
        void line(String s) {
            synchronized (out) {
                out.println(prefix == null ? s : prefix + s);
                out.flush();
            }
        }
    }
}
