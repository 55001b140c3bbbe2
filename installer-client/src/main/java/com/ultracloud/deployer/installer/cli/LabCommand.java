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
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code installer lab}: the real installer code path for N simulated machines against a deployer. */
@Command(name = "lab",
        description = {"Simulate machines: run the real installer for each against a deployer, with a simulated",
                "executor standing in for disko, nixos-install and the reboot. Exit 0 only if every machine ends INSTALLED",
                "or waits for an operator as the intent says (without --operator-install)."})
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
        List<LabMachine> fleet = fleet();
        Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("installer-lab-");
        Path log = commands != null ? commands : dir.resolve("commands.jsonl");
        out.println("lab: " + fleet.size() + " machines against " + url + ", work dir " + dir + ", commands " + log);
        out.flush();
        PrintWriter console = quiet ? new PrintWriter(Writer.nullWriter()) : out;
        Lab.Settings settings = new Lab.Settings(url, fleet, dir, concurrency, Duration.ofSeconds(timeoutSeconds), failRate,
                failFirstAttempt, seed, operatorInstall, log,
                new Backoff(Duration.ofMillis(retryInitialMs), Duration.ofSeconds(10)), trust.labAccess(operatorTokenFile));
        Instant start = Instant.now();
        List<Lab.Row> rows = new Lab(settings, console).run();
        Duration total = Duration.between(start, Instant.now());
        printSummary(out, rows, total);
        // a machine the intent leaves to an operator is the intent's outcome, not a failure of the lab
        return rows.stream().allMatch(r -> r.installed() || r.waitsForOperator()) ? ExitCodes.OK : ExitCodes.FAILED;
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
