package com.ultracloud.deployer.installer.lab;

import com.ultracloud.deployer.installer.agent.Agent;
import com.ultracloud.deployer.installer.agent.AgentClient;
import com.ultracloud.deployer.installer.agent.AgentClock;
import com.ultracloud.deployer.installer.agent.AgentState;
import com.ultracloud.deployer.installer.agent.HttpProbe;
import com.ultracloud.deployer.installer.agent.NodeCredentials;
import com.ultracloud.deployer.installer.agent.Outcome;
import com.ultracloud.deployer.installer.agent.SystemProfile;
import com.ultracloud.deployer.installer.run.CommandExecutor;
import com.ultracloud.deployer.installer.run.TargetFiles;
import com.ultracloud.deployer.protocol.agent.ActivationReport;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * An installed lab machine after its first boot: a node root under the lab's work dir ({@code nix/var/nix/profiles/system},
 * {@code run/current-system}, {@code run/booted-system} and the systems' store directories with their kernel, initrd
 * and kernel-modules links) and the real nix-agent ({@link Agent}) on it, authenticated with the node certificate the
 * installer wrote, over mutual TLS. Its executor plays the node: {@code nix build} prints a store path (the same for
 * the same flake and configuration, as Nix would), {@code nix-env --set} moves the profile link,
 * {@code switch-to-configuration test|switch} moves {@code /run/current-system}, {@code systemctl reboot} boots the
 * profile's system (both links) and starts a new agent, which reads the staged confirm from its state file. Health
 * checks pass unless the machine is unhealthy: command and systemd checks exit 3, http checks answer 503 (the node's
 * own URLs are not the lab's to serve). With {@code rebootRequired} every system the lab builds or is given, other than
 * the installed one, has another kernel, so the agent stages a reboot. A directive's {@code kexec -l} and
 * {@code systemctl kexec} succeed; the lab then boots the installer on the machine ({@link Outcome#KEXEC}).
 */
final class LabNode {

    /** What the lab's agents share: where the agent API is, how they wait, and what to simulate. */
    record Settings(URI agentUrl, Duration pollWait, Duration healthInterval, Duration activationDelay, boolean rebootRequired,
                    com.ultracloud.deployer.installer.run.Backoff backoff) {
    }

    /** One line of the lab's rollout summary. */
    record Summary(String label, String hostname, String installed, String running, boolean unhealthy, boolean firstBootConfirmed,
                   String lastDeployment, long lastGeneration, String lastResult, int activations, int reboots) {
    }

    private static final String STORE = "/nix/store/";
    private static final String INSTALLED_KERNEL = "linux-6.6.63";

    private final String label;
    private final String hostname;
    private final Path root;
    private final Path credentials;
    private final boolean unhealthy;
    private final Settings settings;
    private final PrintWriter console;
    private final BiConsumer<String, List<String>> commandLog;
    private final String installed;
    private final SystemProfile profile;

    private volatile boolean firstBootConfirmed;
    private volatile ActivationReport lastFinal;
    private volatile int activations;
    private volatile int reboots;

    /**
     * @param root       the node's filesystem root (its disk: empty after a reinstall)
     * @param target     the installed target (where the installer wrote {@code var/lib/ultracloud/tls})
     * @param installedFlake the flake and configuration nixos-install installed ({@code --flake F#C})
     * @param commandLog every command the agent runs, with its step
     */
    LabNode(String label, String hostname, Path root, Path target, String installedFlake, boolean unhealthy,
            Settings settings, PrintWriter console, BiConsumer<String, List<String>> commandLog) throws IOException {
        this.label = label;
        this.hostname = hostname;
        this.root = root;
        this.credentials = target.resolve("var/lib/ultracloud/tls");
        this.unhealthy = unhealthy;
        this.settings = settings;
        this.console = console;
        this.commandLog = commandLog;
        int hash = installedFlake.lastIndexOf('#');
        this.installed = systemPath(installedFlake.substring(0, hash), installedFlake.substring(hash + 1));
        this.profile = new SystemProfile(root);
        ensureSystem(installed);
        Path profiles = Files.createDirectories(root.resolve("nix/var/nix/profiles"));
        relink(profiles.resolve("system-1-link"), installed);
        relink(profiles.resolve("system"), "system-1-link");
        bootInto(installed);
    }

    /**
     * Runs the agent until the thread is interrupted (the lab stops) or a directive kexecs the machine into the
     * installer ({@link Outcome#KEXEC}, answered; the lab boots the installer): a staged reboot boots the profile's
     * system and starts a new agent on the same state directory, as systemd would after the reboot. Null when the
     * agent stopped otherwise (interrupted, or it could not start).
     */
    Outcome run() {
        AgentClient client;
        try {
            client = new AgentClient(settings.agentUrl(), NodeCredentials.load(credentials), Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            line("cannot load the node credential from " + credentials + ": " + e.getMessage());
            return null;
        }
        AgentState state = new AgentState(root.resolve("var/lib/ultracloud/agent"), false);
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Outcome outcome = new Agent(client, new NodeExecutor(), profile, state, AgentClock.SYSTEM,
                        new Agent.Settings(settings.pollWait(), Duration.ofSeconds(1), settings.healthInterval(),
                                settings.backoff(), false),
                        console, this::probe).observe(this::observed).run();
                if (outcome != Outcome.REBOOTING) {
                    return outcome;
                }
                reboots++;
                bootDefault("reboot");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            line("agent stopped: " + e);
        }
        return null;
    }

    /**
     * The installer a directive kexec'd into rebooted the machine (an operator ended the rescue): its boot default
     * boots and the agent starts again, on the same disk, state directory and node credential.
     */
    Outcome rebootFromInstaller() {
        try {
            bootDefault("back from the installer");
        } catch (IOException e) {
            line("agent stopped: " + e);
            return null;
        }
        return run();
    }

    /** The boot loader boots the profile's system (the boot default). */
    private void bootDefault(String why) throws IOException {
        String next = profile.profileSystem().orElse(installed);
        line(why + ": boots " + next);
        bootInto(next);
    }

    Summary summary() {
        ActivationReport last = lastFinal;
        return new Summary(label, hostname, installed, profile.runningSystem().orElse("unknown"), unhealthy, firstBootConfirmed,
                last == null ? null : last.deploymentId(), last == null || last.generation() == null ? 0 : last.generation(),
                last == null ? null : last.result(), activations, reboots);
    }

    private void observed(ActivationReport report) {
        if (ActivationReport.STARTED.equals(report.result())) {
            return;
        }
        activations++;
        lastFinal = report;
        if (ActivationReport.HEALTHY.equals(report.result()) && "first-boot".equals(report.deploymentId())) {
            firstBootConfirmed = true;
        }
    }

    private int probe(URI url, Duration timeout) {
        return unhealthy ? 503 : 200;
    }

    /** The store path Nix would print for a flake's configuration: stable for the same inputs, like a real build. */
    private static String systemPath(String flake, String configuration) {
        return STORE + hash(flake + "#" + configuration) + "-nixos-system-" + configuration.replaceAll("[^A-Za-z0-9+._?=-]", "-");
    }

    /** Makes {@code system}'s store directory with its boot links, unless it exists. */
    private void ensureSystem(String system) throws IOException {
        Path dir = root.resolve(system.substring(1));
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir);
        String kernel = settings.rebootRequired() && !system.equals(installed) ? "linux-6.12." + (Math.abs(system.hashCode()) % 50)
                : INSTALLED_KERNEL;
        relink(dir.resolve("kernel"), STORE + hash(kernel) + "-" + kernel + "/bzImage");
        relink(dir.resolve("initrd"), STORE + hash("initrd-" + kernel) + "-initrd-" + kernel + "/initrd");
        relink(dir.resolve("kernel-modules"), STORE + hash("modules-" + kernel) + "-" + kernel + "-modules");
    }

    private void bootInto(String system) throws IOException {
        relink(root.resolve("run/current-system"), system);
        relink(root.resolve("run/booted-system"), system);
    }

    private static void relink(Path link, String target) throws IOException {
        Files.createDirectories(link.getParent());
        Path tmp = link.resolveSibling("." + link.getFileName() + ".new");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, Path.of(target));
        Files.move(tmp, link, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String hash(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16).toLowerCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void line(String s) {
        console.println(s);
        console.flush();
    }

    /** The node as the agent's commands see it (see the class comment). */
    private final class NodeExecutor implements CommandExecutor {

        @Override
        public synchronized CommandResult run(String step, List<String> command) throws IOException, InterruptedException {
            commandLog.accept(step, command);
            String program = command.get(0);
            if ("health-check".equals(step)) {
                return unhealthy ? new CommandResult(3, List.of("simulated: " + label + " is unhealthy")) : ok();
            }
            if (program.equals("nix") && command.contains("build")) {
                String installable = command.get(command.size() - 1);
                int hash = installable.lastIndexOf('#');
                String attribute = installable.substring(hash + 1);
                String configuration = attribute.replaceFirst("^nixosConfigurations\\.", "")
                        .replaceFirst("\\.config\\.system\\.build\\.toplevel$", "");
                String path = systemPath(installable.substring(0, hash), configuration);
                ensureSystem(path);
                return new CommandResult(0, List.of(path));
            }
            if (program.equals("nix-env") && command.contains("--set")) {
                String path = command.get(command.indexOf("--set") + 1);
                ensureSystem(path);
                relink(root.resolve("nix/var/nix/profiles/system"), path);
                return ok();
            }
            if (program.endsWith("/bin/switch-to-configuration")) {
                pause();
                String mode = command.size() > 1 ? command.get(1) : "";
                if (mode.equals("test") || mode.equals("switch")) {
                    relink(root.resolve("run/current-system"), program.substring(0, program.length() - "/bin/switch-to-configuration".length()));
                }
                return ok(); // boot: the profile is the boot loader's default already
            }
            // systemctl reboot: the lab boots the profile's system when the agent returns; kexec -l and systemctl kexec:
            // the lab boots the installer when the agent returns KEXEC
            return ok();
        }

        @Override
        public void writeFile(Path file, byte[] content, String permissions) throws IOException {
            TargetFiles.write(file.isAbsolute() ? root.resolve(file.toString().substring(1)) : root.resolve(file), content, permissions);
        }

        private void pause() throws InterruptedException {
            if (!settings.activationDelay().isZero()) {
                Thread.sleep(settings.activationDelay().toMillis());
            }
        }

        private CommandResult ok() {
            return new CommandResult(0, List.of("simulated: done"));
        }
    }
}
