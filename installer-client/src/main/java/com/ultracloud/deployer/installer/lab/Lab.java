package com.ultracloud.deployer.installer.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.installer.agent.Outcome;
import com.ultracloud.deployer.installer.run.Backoff;
import com.ultracloud.deployer.installer.run.Commands;
import com.ultracloud.deployer.installer.run.DeployerClient;
import com.ultracloud.deployer.installer.run.DeployerException;
import com.ultracloud.deployer.installer.run.InstallOutcome;
import com.ultracloud.deployer.installer.run.Installer;
import com.ultracloud.deployer.installer.run.SimulatedExecutor;
import com.ultracloud.deployer.installer.run.StatusFile;
import com.ultracloud.deployer.protocol.DiscoverResponse;
import com.ultracloud.deployer.protocol.seal.InstallerKey;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The lab simulator: runs the real {@link Installer} for many machines in one process against a
 * deployer, each machine with its own facts, its own {@link SimulatedExecutor} (records disko,
 * nixos-install and the reboot, writes the credentials into a per-machine target directory) and
 * its own retry loop, as the ISO's systemd unit restarts a failed run. A machine is done when it is
 * INSTALLED or FAILED, or when the lab's timeout passes. With {@link Agents}, an installed machine goes on as a node;
 * when a directive kexecs it into the installer, the lab boots the installer on it again (rescue, reinstall).
 */
public final class Lab {

    /** Lab settings; {@code failRate} is the probability that an attempt fails (at a random command step). */
    public record Settings(URI deployer, List<LabMachine> machines, Path workDir, int concurrency, Duration timeout,
                           double failRate, boolean failFirstAttempt, long seed, boolean operatorInstall,
                           Path commandLog, Backoff backoff, DeployerClient.Access access, Agents agents) {
    }

    /**
     * {@code --agents}: each installed machine goes on as a node running the nix-agent against {@code url} (the
     * deployer's machine-facing HTTPS, mutual TLS with the node certificate the installer wrote), until the lab stops.
     * {@code unhealthy}: labels or hostnames whose health checks fail; {@code rebootRequired}: every new system has
     * another kernel (staged reboots); {@code activationDelay}: how long each switch-to-configuration takes.
     */
    public record Agents(URI url, Set<String> unhealthy, boolean rebootRequired, Duration pollWait, Duration healthInterval,
                         Duration activationDelay) {
    }

    /**
     * One installed machine's agent, for the lab's rollout summary; {@code kexecs}: how often a directive booted the
     * installer on it (rescue, reprovision); after a reprovision the row is the new install's node.
     */
    public record AgentRow(String label, String hostname, String running, boolean installedSystemRuns, boolean unhealthy,
                           boolean firstBootConfirmed, String lastDeployment, long lastGeneration, String lastResult,
                           int activations, int reboots, int kexecs) {
    }

    /** One machine's result, a row of the summary table. */
    public record Row(String label, String machineId, String hostname, String state, String rootDisk, int attempts,
                      Duration time, String failure) {
        public boolean installed() {
            return "INSTALLED".equals(state);
        }

        /** The intent leaves this machine's next step to an operator (the lab ran without --operator-install). */
        public boolean waitsForOperator() {
            return !installed() && failure != null && failure.startsWith(WAITS_FOR_OPERATOR);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COMMAND_STEPS = List.of("disko", "nixos-install");
    /** Where a lab machine's rescue installer writes the operators' keys (the image's sshd reads /run/ultracloud/authorized_keys). */
    private static final String RESCUE_KEYS = "run/ultracloud/authorized_keys";
    /** The states in which a machine may wait for an operator (or for the enrollment policy). */
    private static final Set<String> WAITING_STATES = Set.of("DISCOVERED", "INSPECTED", "COMMISSIONED");
    /** How long the lab lets the enrollment policy act before it asks whether a machine waits for an operator. */
    private static final Duration SETTLE = Duration.ofSeconds(5);
    /** An operator action is taken again when the machine still waits in the same state this long after it. */
    static final Duration OPERATOR_RETRY = Duration.ofSeconds(5);
    /** The lab's word (in its summary's state column) for a machine the intent leaves to an operator. */
    public static final String WAITS_FOR_OPERATOR = "waits for an operator";

    private final Settings settings;
    private final PrintWriter console;
    private final DeployerClient client;
    private final Writer commandLog;
    private final Map<String, Instant> operatorActions = new ConcurrentHashMap<>();
    private final Map<String, Seen> seenIn = new ConcurrentHashMap<>();
    private final List<LabNode> nodes = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** How often each machine (by label) was kexec'd into the installer by a directive. */
    private final Map<String, AtomicInteger> kexecs = new ConcurrentHashMap<>();
    private final ExecutorService agentThreads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lab-agent");
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
    private volatile Instant deadline;

    public Lab(Settings settings, PrintWriter console) throws IOException {
        this.settings = settings;
        this.console = console;
        this.client = new DeployerClient(settings.deployer(), Duration.ofSeconds(30), settings.access());
        this.commandLog = settings.commandLog() == null ? null
                : Files.newBufferedWriter(settings.commandLog(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }

    /** Installs every machine; with {@link Agents}, each installed one goes on running its agent until {@link #stopAgents()}. */
    public List<Row> run() throws InterruptedException, IOException {
        deadline = Instant.now().plus(settings.timeout());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, settings.concurrency()));
        try {
            List<Future<Row>> futures = new ArrayList<>();
            for (int i = 0; i < settings.machines().size(); i++) {
                LabMachine m = settings.machines().get(i);
                long machineSeed = settings.seed() * 1_000_003L + i;
                futures.add(pool.submit(() -> runMachine(m, deadline, new Random(machineSeed))));
            }
            List<Row> rows = new ArrayList<>();
            for (Future<Row> f : futures) {
                try {
                    rows.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("lab machine crashed: " + e.getCause(), e.getCause());
                }
            }
            return rows;
        } finally {
            pool.shutdownNow();
            if (settings.agents() == null) {
                closeLog();
            }
        }
    }

    /** With agents: waits until the lab's timeout passes or {@link #stopAgents()} is called. */
    public void awaitAgents() throws InterruptedException {
        Duration left = Duration.between(Instant.now(), deadline);
        if (!left.isNegative()) {
            stop.await(left.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** Ends {@link #awaitAgents()} early (the lab was told to stop). */
    public void requestStop() {
        stop.countDown();
    }

    /** Stops every agent (as the machines are powered off) and answers the rollout summary. */
    public List<AgentRow> stopAgents() throws InterruptedException, IOException {
        stop.countDown();
        agentThreads.shutdownNow();
        agentThreads.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        closeLog();
        return agentRows();
    }

    /** The agents' summary so far. */
    public List<AgentRow> agentRows() {
        return nodes.stream().map(LabNode::summary).sorted(java.util.Comparator.comparing(LabNode.Summary::label))
                .map(n -> new AgentRow(n.label(), n.hostname(), n.running(), n.running().equals(n.installed()), n.unhealthy(),
                        n.firstBootConfirmed(), n.lastDeployment(), n.lastGeneration(), n.lastResult(), n.activations(),
                        n.reboots(), kexecs.getOrDefault(n.label(), new AtomicInteger()).get())).toList();
    }

    private synchronized void closeLog() throws IOException {
        if (commandLog != null) {
            commandLog.close();
        }
    }

    private Row runMachine(LabMachine machine, Instant deadline, Random random) throws Exception {
        Instant start = Instant.now();
        Path home = settings.workDir().resolve(machine.label());
        Boot boot = bootInstaller(machine, home, home.resolve("target"), random, true);
        Duration time = Duration.between(start, Instant.now());
        InstallOutcome last = boot.last();
        if (last != null && last.installed() && settings.agents() != null) {
            startAgent(machine, boot, home.resolve("node"), home, random);
        }
        if (last == null) {
            return new Row(machine.label(), null, null, "UNKNOWN", null, boot.attempts(), time,
                    boot.failure() == null ? "timed out" : boot.failure());
        }
        String state = last.installed() ? (last.state() == null ? "INSTALLED" : last.state())
                : last.result() == InstallOutcome.Result.TIMED_OUT ? "TIMED_OUT(" + last.state() + ")"
                : last.state() == null ? "UNKNOWN" : last.state();
        return new Row(machine.label(), last.machineId(), last.hostname(), state, last.rootDevice(), boot.attempts(), time,
                boot.failure() != null ? boot.failure() : last.failure());
    }

    /**
     * One boot of the installer image: how it ended ({@code last}, null when it never ended), its install attempts,
     * the commands of its last attempt, why the deployer ended it early, and the target it installed into.
     */
    private record Boot(InstallOutcome last, int attempts, List<SimulatedExecutor.Recorded> commands, String failure,
                        Path target) {
    }

    /**
     * Boots the installer on {@code machine} and runs the real {@link Installer} as the image's systemd unit would,
     * restarted after a failed attempt with attempts left, until it installs, stops or the lab's deadline passes.
     * Every boot makes a new installer key. The first boot of a lab machine stops at INSTALLED too (a machine the
     * deployer knows as installed already); a boot after a kexec must not: its rescue ends back in the installed state.
     */
    private Boot bootInstaller(LabMachine machine, Path home, Path target, Random random, boolean firstBoot) throws Exception {
        Files.createDirectories(target);
        int attempts = 0;
        InstallOutcome last = null;
        List<SimulatedExecutor.Recorded> installCommands = List.of();
        String failure = null;
        InstallerKey key = InstallerKey.generate(); // restarts after a failed attempt are the same boot: they keep it
        while (Instant.now().isBefore(deadline)) {
            int attempt = attempts + 1;
            boolean failThisAttempt = (settings.failFirstAttempt() && firstBoot && attempt == 1)
                    || (settings.failRate() > 0 && random.nextDouble() < settings.failRate());
            String failStep = failThisAttempt ? COMMAND_STEPS.get(random.nextInt(COMMAND_STEPS.size())) : null;
            SimulatedExecutor executor = new SimulatedExecutor(step -> step.equals(failStep));
            // the lab's operator acts on every discover answer, so it wants them at once (no discover long-poll);
            // without it, the machines wait for the enrollment policy: the long-poll answers when it has acted
            Installer.Settings s = new Installer.Settings(target, "/etc/ultracloud/disko", Duration.ofSeconds(5),
                    settings.operatorInstall() ? Duration.ZERO : Duration.ofSeconds(5), settings.backoff(),
                    firstBoot ? Set.of("FAILED", "INSTALLED", "RETIRED") : Set.of("FAILED", "RETIRED"), deadline,
                    d -> afterDiscover(machine, d), home.resolve(RESCUE_KEYS)); // a rescue writes the keys here, not into the host's /run
            Installer installer = new Installer(client, machine.facts(), key, executor, s, console,
                    "[" + machine.label() + "] ", new StatusFile(home.resolve("status")));
            try {
                last = installer.run();
            } catch (DeployerException e) {
                failure = e.getMessage();
                break;
            }
            attempts += installer.attempts();
            installCommands = executor.recorded();
            log(machine, last, attempt, installCommands);
            if (last.installed() || last.result() != InstallOutcome.Result.INSTALL_FAILED || "FAILED".equals(last.state())) {
                break;
            }
            // a failed attempt with attempts left: the ISO's unit would restart the installer; so does the lab
        }
        return new Boot(last, attempts, installCommands, failure, target);
    }

    /**
     * The installed machine boots its system and starts the nix-agent (the lab's node, {@link LabNode}) on
     * {@code nodeRoot}, with the node credential the installer wrote into the boot's target.
     */
    private void startAgent(LabMachine machine, Boot installed, Path nodeRoot, Path home, Random random) throws IOException {
        LabNode node = newNode(machine, installed, nodeRoot);
        nodes.add(node);
        agentThreads.submit(() -> live(machine, node, home, random));
    }

    private LabNode newNode(LabMachine machine, Boot boot, Path nodeRoot) throws IOException {
        Agents agents = settings.agents();
        InstallOutcome installed = boot.last();
        String flake = boot.commands().stream().map(SimulatedExecutor.Recorded::command)
                .filter(c -> c.get(0).equals("nixos-install") && c.contains("--flake"))
                .map(c -> c.get(c.indexOf("--flake") + 1)).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException(machine.label() + ": no nixos-install --flake was recorded"));
        boolean unhealthy = agents.unhealthy().contains(machine.label())
                || (installed.hostname() != null && agents.unhealthy().contains(installed.hostname()));
        return new LabNode(machine.label(), installed.hostname(), nodeRoot, boot.target(), flake, unhealthy,
                new LabNode.Settings(agents.url(), agents.pollWait(), agents.healthInterval(), agents.activationDelay(),
                        agents.rebootRequired(), settings.backoff()),
                new PrintWriter(new PrefixedLines(console, "[" + machine.label() + "] agent: "), true),
                (step, command) -> logAgentCommand(machine, installed, step, command));
    }

    /**
     * The node's life until the lab stops: its agent runs; when a directive kexecs the machine into the installer,
     * the installer boots again (a new key, the same facts) and the deployer's discover answer says what it does. A
     * rescue that ends reboots into the installed system, whose agent starts again on the same disk and credential;
     * a reinstall (reprovision) is a new node on the new install's target and credential, with an empty disk.
     */
    private void live(LabMachine machine, LabNode first, Path home, Random random) {
        LabNode node = first;
        try {
            Outcome outcome = node.run();
            while (outcome == Outcome.KEXEC) {
                int kexec = kexecs.computeIfAbsent(machine.label(), l -> new AtomicInteger()).incrementAndGet();
                console.println("[" + machine.label() + "] kexec: the installer boots (" + kexec + ")");
                console.flush();
                Path boots = home.resolve("kexec-" + kexec); // the disks as a reinstall leaves them: nothing of before
                Boot boot = bootInstaller(machine, boots, boots.resolve("target"), random, false);
                InstallOutcome.Result result = boot.last() == null ? null : boot.last().result();
                if (result == InstallOutcome.Result.RESCUE_ENDED) {
                    outcome = node.rebootFromInstaller();
                } else if (result == InstallOutcome.Result.INSTALLED) {
                    LabNode reinstalled = newNode(machine, boot, boots.resolve("node"));
                    LabNode old = node;
                    nodes.replaceAll(n -> n == old ? reinstalled : n);
                    node = reinstalled;
                    outcome = node.run();
                } else {
                    console.println("[" + machine.label() + "] kexec: the installer ended " + (result == null ? "without an answer"
                            : result + (boot.last().failure() == null ? "" : ": " + boot.last().failure()))
                            + (boot.failure() == null ? "" : "; " + boot.failure()) + "; the machine stays in the installer");
                    console.flush();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            console.println("[" + machine.label() + "] kexec: " + e);
            console.flush();
        }
    }

    private synchronized void logAgentCommand(LabMachine machine, InstallOutcome installed, String step, List<String> command) {
        if (commandLog == null) {
            return;
        }
        ObjectNode line = JSON.createObjectNode();
        line.put("machine", machine.label());
        line.put("machineId", installed.machineId());
        line.put("hostname", installed.hostname());
        line.put("phase", "agent");
        line.put("step", step);
        line.set("command", JSON.valueToTree(Commands.redacted(command))); // a kexec command line carries the join secret
        try {
            commandLog.write(JSON.writeValueAsString(line));
            commandLog.write('\n');
            commandLog.flush();
        } catch (IOException e) {
            // the log closed as the lab stops: the command is not lost from the node, only from the file
        }
    }

    /**
     * After every discover answer: with {@code --operator-install}, act as the operator; without it, stop
     * waiting for a machine that the deployer says waits for an operator (the intent leaves the next step
     * to one), so the lab ends with what the intent installs by itself.
     */
    private String afterDiscover(LabMachine machine, DiscoverResponse d) {
        if (d.machineId() == null || d.state() == null) {
            return null;
        }
        Instant since = seen(d.machineId(), d.state());
        if (settings.operatorInstall()) {
            actAsOperator(machine, d);
            return null;
        }
        if (!WAITING_STATES.contains(d.state()) || Duration.between(since, Instant.now()).compareTo(SETTLE) < 0) {
            return null; // give the enrollment policy its chance first
        }
        try {
            return waitsForOperator(client.machine(d.machineId()));
        } catch (DeployerException e) {
            return null; // the deployer is away: ask again on the next discover
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Why the machine waits for an operator, or null when enrollment still moves it by itself: the
     * machine detail's {@code enrollment.waitingFor}.
     */
    static String waitsForOperator(JsonNode detail) {
        JsonNode enrollment = detail == null ? null : detail.path("enrollment");
        if (enrollment == null || enrollment.isMissingNode()) {
            return null;
        }
        String waiting = enrollment.path("waitingFor").asText(null);
        return waiting != null && waiting.startsWith(WAITS_FOR_OPERATOR) ? waiting : null;
    }

    /** When the lab first saw the machine in its current state. */
    private Instant seen(String machineId, String state) {
        return seenIn.compute(machineId, (id, before) -> before != null && before.state().equals(state) ? before
                : new Seen(state, Instant.now())).since();
    }

    private record Seen(String state, Instant since) {
    }

    /**
     * {@code --operator-install}: what an operator would do for a machine no rule installs — inspect a
     * DISCOVERED one, commission an INSPECTED one (as the class its fixture belongs to), request the
     * install of a COMMISSIONED one. Level-triggered: the action is taken whenever the machine is seen
     * in that state, at most once per {@link #OPERATOR_RETRY}, so an action lost to a deployer that
     * went away (or refused) is taken again once it answers. Refusals are printed.
     */
    private void actAsOperator(LabMachine machine, DiscoverResponse d) {
        String key = d.machineId() + "/" + d.state();
        Instant now = Instant.now();
        Instant last = operatorActions.get(key);
        if (!WAITING_STATES.contains(d.state()) || (last != null && Duration.between(last, now).compareTo(OPERATOR_RETRY) < 0)) {
            return;
        }
        operatorActions.put(key, now);
        try {
            switch (d.state()) {
                case "DISCOVERED" -> client.machineAction(d.machineId(), "inspect", "{}");
                case "INSPECTED" -> client.machineAction(d.machineId(), "commission", commissionBody(machine));
                default -> {
                    client.machineAction(d.machineId(), "install", "{}");
                    console.println("[" + machine.label() + "] operator: requested the install of " + d.machineId());
                }
            }
        } catch (DeployerException e) {
            console.println("[" + machine.label() + "] operator: " + e.getMessage() + " (again in "
                    + OPERATOR_RETRY.toSeconds() + " s if the machine still waits)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        console.flush();
    }

    private static String commissionBody(LabMachine machine) {
        String prefix = machine.fixture().replaceAll("-\\d+$", "").toLowerCase(Locale.ROOT);
        String[] classAndPool = switch (prefix) {
            case "cp", "control-plane" -> new String[] {"control-plane", "control-plane"};
            case "storage" -> new String[] {"storage", "storage"};
            default -> new String[] {"worker", "general"};
        };
        ObjectNode body = JSON.createObjectNode();
        body.put("nodeClass", classAndPool[0]);
        body.put("pool", classAndPool[1]);
        body.put("hostname", machine.label().toLowerCase(Locale.ROOT));
        return body.toString();
    }

    private synchronized void log(LabMachine machine, InstallOutcome outcome, int attempt,
                                  List<SimulatedExecutor.Recorded> commands) throws IOException {
        if (commandLog == null) {
            return;
        }
        for (SimulatedExecutor.Recorded r : commands) {
            ObjectNode line = JSON.createObjectNode();
            line.put("machine", machine.label());
            line.put("machineId", outcome.machineId());
            line.put("hostname", outcome.hostname());
            line.put("attempt", attempt);
            line.put("step", r.step());
            line.set("command", JSON.valueToTree(r.command()));
            commandLog.write(JSON.writeValueAsString(line));
            commandLog.write('\n');
        }
        commandLog.flush();
    }
}
