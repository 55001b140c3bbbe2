package com.ultracloud.deployer.installer.cli;

import com.ultracloud.deployer.installer.lab.Lab;
import com.ultracloud.deployer.installer.lab.LabMachine;
import com.ultracloud.deployer.installer.run.Backoff;
import com.ultracloud.deployer.installer.run.DeployerClient;
import com.ultracloud.deployer.protocol.MachineInventory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code installer lab}: the real installer code path for N simulated machines against a deployer. */
@Command(name = "lab",
        description = {"Simulate machines: run the real installer for each against a deployer, with a simulated",
                "executor standing in for disko, nixos-install and the reboot. Exit 0 only if every machine ends INSTALLED",
                "or waits for an operator as the intent says (without --operator-install), and, with --agents, every installed",
                "machine's agent confirmed its first boot."})
final class LabCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--deployer", paramLabel = "URL", required = true, description = "The deployer's base URL.")
    String deployer;

    @Option(names = "--hardware", paramLabel = "DIR", defaultValue = "nix/examples/lab/hardware",
            description = "Discover JSON files, one per machine (*.json). Default: ${DEFAULT-VALUE}")
    Path hardware;

    @Option(names = "--machines", paramLabel = "N",
            description = "Simulate N machines: clones of the fixtures, round-robin, each with a fresh identity "
                    + "(SMBIOS UUID, serials, MACs). Default: the fixtures themselves.")
    Integer machines;

    @Option(names = "--fail", paramLabel = "RATE", defaultValue = "0",
            description = "Probability (0..1) that an install attempt fails at a random command step. Default: ${DEFAULT-VALUE}")
    double failRate;

    @Option(names = "--fail-first-attempt", description = "Fail every machine's first install attempt (at a random command step).")
    boolean failFirstAttempt;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed for failure injection. Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8", description = "Machines run at once. Default: ${DEFAULT-VALUE}")
    int concurrency;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "Give up on machines not done after this long. Default: ${DEFAULT-VALUE}")
    int timeoutSeconds;

    @Option(names = "--operator-install",
            description = "Act as the operator (not the installer): inspect, commission and request the install of "
                    + "machines no enrollment rule installs (e.g. the COMMISSIONED control-plane seeds).")
    boolean operatorInstall;

    @Option(names = "--operator-token-file", paramLabel = "FILE",
            description = "An operator API token (first line of FILE, e.g. <data-dir>/admin-token): what the lab acts "
                    + "as the operator with (--operator-install) and reads machine details with. Not needed in lab mode.")
    Path operatorTokenFile;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Per-machine simulated targets and status files go under DIR/<machine>/. Default: a new temp dir.")
    Path workDir;

    @Option(names = "--commands", paramLabel = "FILE",
            description = "Write every recorded command as JSON lines here. Default: <work-dir>/commands.jsonl")
    Path commands;

    @Option(names = "--quiet", description = "Only the summary: no per-machine progress lines.")
    boolean quiet;

    @Option(names = "--agents",
            description = "Keep each installed machine running as a node with the nix-agent (first boot → ACTIVE, then every "
                    + "rollout that reaches it) until --timeout passes or the lab is stopped (Ctrl-C, SIGTERM); then print a "
                    + "rollout summary. Needs --agent-url.")
    boolean agents;

    @Option(names = "--agent-url", paramLabel = "URL",
            description = "The deployer's machine-facing HTTPS URL for the agents (e.g. https://localhost:8443): mutual TLS "
                    + "with the node certificate each machine's installer wrote.")
    String agentUrl;

    @Option(names = "--unhealthy", paramLabel = "NAME",
            description = "With --agents: this machine (lab label or hostname) fails every health check. Repeatable.")
    List<String> unhealthy = new ArrayList<>();

    @Option(names = "--reboot-required",
            description = "With --agents: every new system has another kernel than the installed one, so the agents stage a "
                    + "reboot and confirm the new generation after it.")
    boolean rebootRequired;

    @Option(names = "--agent-poll-wait", paramLabel = "SECONDS", defaultValue = "30", hidden = true)
    int agentPollWaitSeconds;

    @Option(names = "--agent-health-interval-ms", paramLabel = "MS", defaultValue = "1000", hidden = true)
    long agentHealthIntervalMs;

    /** How long each simulated switch-to-configuration takes (tests that act while a rollout runs). */
    @Option(names = "--activation-delay-ms", paramLabel = "MS", defaultValue = "0", hidden = true)
    long activationDelayMs;

    @Mixin
    TrustOptions trust;

    @Option(names = "--retry-initial-ms", defaultValue = "500", hidden = true)
    long retryInitialMs;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        URI url;
        try {
            url = DeployerClient.parseBaseUrl(deployer);
        } catch (IllegalArgumentException e) {
            throw new InstallerException("bad-deployer-url", e.getMessage(), ExitCodes.USAGE);
        }
        if (failRate < 0 || failRate > 1) {
            throw new InstallerException("bad-option", "--fail must be between 0 and 1", ExitCodes.USAGE);
        }
        Lab.Agents agentSettings = agentSettings();
        List<LabMachine> fleet = fleet();
        Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("installer-lab-");
        Path log = commands != null ? commands : dir.resolve("commands.jsonl");
        out.println("lab: " + fleet.size() + " machines against " + url + ", work dir " + dir + ", commands " + log);
        out.flush();
        PrintWriter console = quiet ? new PrintWriter(Writer.nullWriter()) : out;
        Lab.Settings settings = new Lab.Settings(url, fleet, dir, concurrency, Duration.ofSeconds(timeoutSeconds), failRate,
                failFirstAttempt, seed, operatorInstall, log,
                new Backoff(Duration.ofMillis(retryInitialMs), Duration.ofSeconds(10)), trust.labAccess(operatorTokenFile),
                agentSettings);
        Instant start = Instant.now();
        Lab lab = new Lab(settings, console);
        List<Lab.Row> rows = lab.run();
        Duration total = Duration.between(start, Instant.now());
        printSummary(out, rows, total);
        // a machine the intent leaves to an operator is the intent's outcome, not a failure of the lab
        boolean installed = rows.stream().allMatch(r -> r.installed() || r.waitsForOperator());
        if (agentSettings == null) {
            return installed ? ExitCodes.OK : ExitCodes.FAILED;
        }
        List<Lab.AgentRow> nodes = runAgents(lab, out);
        return installed && nodes.stream().allMatch(Lab.AgentRow::firstBootConfirmed) ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private Lab.Agents agentSettings() {
        if (!agents) {
            if (agentUrl != null || !unhealthy.isEmpty() || rebootRequired) {
                throw new InstallerException("bad-option", "--agent-url, --unhealthy and --reboot-required need --agents", ExitCodes.USAGE);
            }
            return null;
        }
        if (agentUrl == null) {
            throw new InstallerException("bad-option", "--agents needs --agent-url, the deployer's machine-facing HTTPS URL "
                    + "(the agent API takes the node certificate only there)", ExitCodes.USAGE);
        }
        URI url;
        try {
            url = DeployerClient.parseBaseUrl(agentUrl);
        } catch (IllegalArgumentException e) {
            throw new InstallerException("bad-agent-url", e.getMessage(), ExitCodes.USAGE);
        }
        if (!"https".equalsIgnoreCase(url.getScheme())) {
            throw new InstallerException("bad-agent-url", "--agent-url must be https://: the agents authenticate with their node "
                    + "certificates (mutual TLS)", ExitCodes.USAGE);
        }
        if (agentPollWaitSeconds <= 0 || agentHealthIntervalMs <= 0 || activationDelayMs < 0) {
            throw new InstallerException("bad-option", "agent intervals must be positive", ExitCodes.USAGE);
        }
        return new Lab.Agents(url, Set.copyOf(unhealthy), rebootRequired, Duration.ofSeconds(agentPollWaitSeconds),
                Duration.ofMillis(agentHealthIntervalMs), Duration.ofMillis(activationDelayMs));
    }

    /**
     * Lets the agents run until the timeout or a stop (the shutdown hook of Ctrl-C or SIGTERM waits for the summary),
     * then stops them and prints the rollout summary.
     */
    private List<Lab.AgentRow> runAgents(Lab lab, PrintWriter out) throws Exception {
        out.printf(Locale.ROOT, "%nagents: %d nodes run the nix-agent against %s until --timeout passes or the lab is stopped "
                + "(Ctrl-C, SIGTERM)%n", lab.agentRows().size(), agentUrl);
        out.flush();
        java.util.concurrent.CountDownLatch printed = new java.util.concurrent.CountDownLatch(1);
        Thread hook = new Thread(() -> {
            lab.requestStop();
            try {
                printed.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "lab-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            lab.awaitAgents();
            List<Lab.AgentRow> nodes = lab.stopAgents();
            printRolloutSummary(out, nodes);
            return nodes;
        } finally {
            printed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down (the stop came as a signal): the hook is running
            }
        }
    }

    private static void printRolloutSummary(PrintWriter out, List<Lab.AgentRow> nodes) {
        String format = "%-24s %-20s %-10s %-28s %-13s %11s %7s %6s  %s%n";
        out.println();
        out.println("rollout summary");
        out.printf(Locale.ROOT, format, "MACHINE", "HOSTNAME", "FIRST BOOT", "LAST DEPLOYMENT", "RESULT", "ACTIVATIONS",
                "REBOOTS", "KEXECS", "RUNNING");
        for (Lab.AgentRow n : nodes) {
            out.printf(Locale.ROOT, format, n.label(), n.hostname() == null ? "-" : n.hostname(),
                    n.firstBootConfirmed() ? "confirmed" : "pending",
                    n.lastDeployment() == null ? "-" : n.lastDeployment() + " gen " + n.lastGeneration(),
                    (n.lastResult() == null ? "-" : n.lastResult()) + (n.unhealthy() ? " *" : ""),
                    n.activations(), n.reboots(), n.kexecs(), n.running() + (n.installedSystemRuns() ? " (installed)" : ""));
        }
        long confirmed = nodes.stream().filter(Lab.AgentRow::firstBootConfirmed).count();
        Map<String, Long> results = new TreeMap<>();
        nodes.stream().filter(n -> n.lastResult() != null && !"first-boot".equals(n.lastDeployment()))
                .forEach(n -> results.merge(n.lastDeployment() + " gen " + n.lastGeneration() + " " + n.lastResult(), 1L, Long::sum));
        out.printf(Locale.ROOT, "%n%d agents, %d confirmed their first boot (ACTIVE)%s%s%n", nodes.size(), confirmed,
                results.isEmpty() ? "; no rollout reached them" : "; last rollout results: ",
                results.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).reduce((a, b) -> a + ", " + b).orElse(""));
        if (nodes.stream().anyMatch(Lab.AgentRow::unhealthy)) {
            out.println("* unhealthy (--unhealthy): every health check fails");
        }
        out.flush();
    }

    private List<LabMachine> fleet() throws IOException {
        if (!Files.isDirectory(hardware)) {
            throw new InstallerException("no-hardware", "--hardware " + hardware + " is not a directory of discover JSON files",
                    ExitCodes.USAGE);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(hardware)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new InstallerException("no-hardware", "--hardware " + hardware + " has no *.json files", ExitCodes.USAGE);
        }
        List<LabMachine> out = new ArrayList<>();
        if (machines == null) {
            for (Path f : files) {
                String name = fixtureName(f);
                out.add(new LabMachine(name, name, FactsFiles.read(f)));
            }
            return out;
        }
        if (machines < 1) {
            throw new InstallerException("bad-option", "--machines must be at least 1", ExitCodes.USAGE);
        }
        Random identities = new SecureRandom();
        String run = Long.toString(Math.abs(identities.nextLong()) % 46656, 36);
        Map<Path, MachineInventory> loaded = new TreeMap<>();
        for (Path f : files) {
            loaded.put(f, FactsFiles.read(f));
        }
        for (int i = 0; i < machines; i++) {
            Path f = files.get(i % files.size());
            String fixture = fixtureName(f);
            String label = String.format(Locale.ROOT, "lab-%s-%s-%d", run, fixture.replaceAll("-\\d+$", ""), i + 1);
            out.add(LabMachine.clone(label, fixture, loaded.get(f), identities));
        }
        return out;
    }

    private static String fixtureName(Path f) {
        String n = f.getFileName().toString();
        return n.substring(0, n.length() - ".json".length());
    }

    private static void printSummary(PrintWriter out, List<Lab.Row> rows, Duration total) {
        String format = "%-24s %-20s %-16s %-70s %8s %9s%n";
        out.println();
        out.printf(Locale.ROOT, format, "MACHINE", "HOSTNAME", "STATE", "ROOT DISK", "ATTEMPTS", "TIME");
        for (Lab.Row r : rows) {
            out.printf(Locale.ROOT, format, r.label(), r.hostname() == null ? "-" : r.hostname(), r.state(),
                    r.rootDisk() == null ? "-" : r.rootDisk(), r.attempts(),
                    String.format(Locale.ROOT, "%.1f s", r.time().toMillis() / 1000.0));
        }
        rows.stream().filter(r -> !r.installed() && r.failure() != null)
                .forEach(r -> out.println(r.label() + ": " + r.failure()));
        long installed = rows.stream().filter(Lab.Row::installed).count();
        long waiting = rows.stream().filter(Lab.Row::waitsForOperator).count();
        double seconds = total.toMillis() / 1000.0;
        out.printf(Locale.ROOT, "%n%d machines, %d INSTALLED%s, in %.1f s: %.2f machines/s%n", rows.size(), installed,
                waiting == 0 ? "" : ", " + waiting + (waiting == 1 ? " waits" : " wait") + " for an operator", seconds,
                seconds == 0 ? 0 : installed / seconds);
        out.flush();
    }
}
