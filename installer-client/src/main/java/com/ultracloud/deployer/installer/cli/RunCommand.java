package com.ultracloud.deployer.installer.cli;

import com.ultracloud.deployer.installer.InstallerVersion;
import com.ultracloud.deployer.installer.facts.FactsCollector;
import com.ultracloud.deployer.installer.facts.SystemRoot;
import com.ultracloud.deployer.installer.run.Backoff;
import com.ultracloud.deployer.installer.run.CommandExecutor;
import com.ultracloud.deployer.installer.run.DeployerClient;
import com.ultracloud.deployer.installer.run.DeployerException;
import com.ultracloud.deployer.installer.run.DryRunExecutor;
import com.ultracloud.deployer.installer.run.InstallOutcome;
import com.ultracloud.deployer.installer.run.Installer;
import com.ultracloud.deployer.installer.run.ProcessExecutor;
import com.ultracloud.deployer.installer.run.SimulatedExecutor;
import com.ultracloud.deployer.installer.run.StatusFile;
import com.ultracloud.deployer.protocol.MachineInventory;
import com.ultracloud.deployer.installer.run.InstallerKeyFile;
import com.ultracloud.deployer.protocol.seal.InstallerKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code installer run}: discover, wait for the plan, install, report, reboot (docs/installer.md). */
@Command(name = "run",
        description = {"Discover this machine, wait for its install plan, install NixOS as planned, report, reboot.",
                "The deployer URL comes from --deployer, else ultracloud.deployer= on the kernel command line,",
                "else the DHCP-supplied /run/ultracloud/deployer; the join secret from --join-secret-file, else",
                "ultracloud.join= on the kernel command line, else /etc/ultracloud/join-secret."})
final class RunCommand implements Callable<Integer> {

    /** This boot's installer key, under {@code --root}: tmpfs on the image, so it dies with the boot. */
    static final String KEY_FILE = "run/ultracloud/installer.key";

    @Spec
    CommandSpec spec;

    @Option(names = "--deployer", paramLabel = "URL", description = "The deployer's base URL, e.g. https://deployer.lab:8080.")
    String deployer;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = "/",
            description = "Read facts, /proc/cmdline and /run/ultracloud/deployer from DIR, and write DIR/run/ultracloud/status "
                    + "(a recorded tree in tests). Default: ${DEFAULT-VALUE}")
    Path root;

    @Option(names = "--facts", paramLabel = "FILE",
            description = "Use this discover JSON (as `installer facts` prints) instead of collecting facts.")
    Path factsFile;

    @Option(names = "--target", paramLabel = "DIR", defaultValue = "/mnt",
            description = "Where disko mounts the new system and the credentials go. Default: ${DEFAULT-VALUE}")
    Path target;

    @Option(names = "--disko-config", paramLabel = "DIR", defaultValue = "/etc/ultracloud/disko",
            description = "The disko layouts (nix/disko). Default: ${DEFAULT-VALUE}")
    String diskoConfig;

    @Option(names = "--dry-run",
            description = "Print the commands and files instead of running and writing them; report no progress.")
    boolean dryRun;

    @Option(names = "--simulate", hidden = true,
            description = "Use the simulated executor (records commands, writes files, runs nothing): tests and demos.")
    boolean simulate;

    @Option(names = "--plan-wait", paramLabel = "SECONDS", defaultValue = "30",
            description = "Long-poll time of one discover or plan request. Default: ${DEFAULT-VALUE}")
    int planWaitSeconds;

    @Mixin
    TrustOptions trust;

    @Option(names = "--retry-initial-ms", defaultValue = "1000", hidden = true)
    long retryInitialMs;

    @Option(names = "--retry-max-ms", defaultValue = "30000", hidden = true)
    long retryMaxMs;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        URI url = DeployerUrls.resolve(deployer, root);
        MachineInventory facts = facts();
        CommandExecutor executor = dryRun ? new DryRunExecutor(out)
                : simulate ? new SimulatedExecutor(step -> false) : new ProcessExecutor(out);
        Duration planWait = Duration.ofSeconds(planWaitSeconds);
        Installer.Settings settings = new Installer.Settings(target.toAbsolutePath(), diskoConfig, planWait, planWait,
                new Backoff(Duration.ofMillis(retryInitialMs), Duration.ofMillis(retryMaxMs)), Set.of(), null, null,
                root.resolve(Installer.Settings.RESCUE_KEYS.toString().substring(1))); // the image's sshd reads it
        DeployerClient.Access access = trust.access(root);
        // this boot's key: kept on tmpfs so a restarted installer is the same one to the deployer; a dry run writes nothing
        InstallerKey key = dryRun ? InstallerKey.generate() : InstallerKeyFile.loadOrCreate(root.resolve(KEY_FILE));
        out.println("installer " + InstallerVersion.current() + ": deployer " + url + ", target " + settings.target()
                + (access.joinSecret() == null ? ", no join secret" : "") + (dryRun ? " (dry run)" : ""));
        out.flush();
        Installer installer = new Installer(new DeployerClient(url, Duration.ofSeconds(30), access), facts, key, executor,
                settings, out, null, StatusFile.under(root));
        InstallOutcome outcome;
        try {
            outcome = installer.run();
        } catch (DeployerException e) {
            throw new InstallerException("deployer-refused", e.getMessage(), ExitCodes.FAILED);
        }
        if (outcome.result() == InstallOutcome.Result.RESCUE_ENDED) {
            return ExitCodes.OK; // rebooting into the installed system
        }
        if (!outcome.installed()) {
            throw new InstallerException("install-failed", "machine " + outcome.machineId() + ": " + outcome.failure()
                    + (outcome.state() == null ? "" : " (deployer: " + outcome.state() + ")"), ExitCodes.FAILED);
        }
        return ExitCodes.OK;
    }

    private MachineInventory facts() {
        if (factsFile != null) {
            return FactsFiles.read(factsFile);
        }
        SystemRoot system;
        try {
            system = root.equals(Path.of("/")) ? SystemRoot.live() : SystemRoot.recorded(root);
        } catch (IllegalArgumentException e) {
            throw new InstallerException("bad-root", "--root " + e.getMessage(), ExitCodes.USAGE);
        }
        return new FactsCollector(system, InstallerVersion.current()).collect();
    }

    /** Where the deployer URL comes from: option, kernel command line, DHCP file. */
    static final class DeployerUrls {
        private DeployerUrls() {
        }

        static URI resolve(String option, Path root) {
            String url = Optional.ofNullable(option).filter(s -> !s.isBlank())
                    .or(() -> fromCmdline(root.resolve("proc/cmdline"), "ultracloud.deployer="))
                    .or(() -> firstLine(root.resolve("run/ultracloud/deployer")))
                    .orElseThrow(() -> new InstallerException("no-deployer",
                            "no deployer URL: pass --deployer URL, boot with ultracloud.deployer=URL, or serve it by DHCP",
                            ExitCodes.USAGE));
            try {
                return DeployerClient.parseBaseUrl(url);
            } catch (IllegalArgumentException e) {
                throw new InstallerException("bad-deployer-url", e.getMessage(), ExitCodes.USAGE);
            }
        }

        /** The value of the first {@code prefix} word (e.g. {@code ultracloud.deployer=}) on the kernel command line. */
        static Optional<String> fromCmdline(Path cmdline, String prefix) {
            return firstLine(cmdline).flatMap(line -> {
                for (String word : line.trim().split("\\s+")) {
                    if (word.startsWith(prefix) && word.length() > prefix.length()) {
                        return Optional.of(word.substring(prefix.length()));
                    }
                }
                return Optional.empty();
            });
        }

        static Optional<String> firstLine(Path file) {
            try {
                if (!Files.isRegularFile(file)) {
                    return Optional.empty();
                }
                return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::trim)
                        .filter(s -> !s.isEmpty()).findFirst();
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }
}
