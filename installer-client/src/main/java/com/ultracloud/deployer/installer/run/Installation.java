package com.ultracloud.deployer.installer.run;

import com.ultracloud.deployer.protocol.BootstrapPlan;
import com.ultracloud.deployer.protocol.InstallPlan;
import com.ultracloud.deployer.protocol.InstallProgress;
import com.ultracloud.deployer.protocol.InstallProgressAck;
import com.ultracloud.deployer.protocol.MachineInventory;
import com.ultracloud.deployer.protocol.MachineInventory.Disk;
import com.ultracloud.deployer.protocol.disk.RootDeviceHintException;
import com.ultracloud.deployer.protocol.disk.RootDeviceHints;
import com.ultracloud.deployer.protocol.disk.RootDeviceResolution;
import com.ultracloud.deployer.protocol.disk.RootDeviceResolver;
import com.ultracloud.deployer.protocol.disk.StableDevicePath;
import com.ultracloud.deployer.protocol.seal.InstallerKey;
import com.ultracloud.deployer.protocol.seal.PlanSecretsSeal;
import com.ultracloud.deployer.protocol.seal.SealException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One install attempt of one plan, step by step, each reported with a percentage:
 * <ol>
 *   <li>{@code root-device} (5 %): re-resolve the root disk locally from the plan's hints
 *       ({@code rootDevice.matchedHints}, with the same {@link RootDeviceResolver} the deployer used);
 *       refuse when the local choice is not the plan's path;</li>
 *   <li>{@code wipe} (10 %): the plan's wipe policy — {@code root-disk} (the default) wipes the resolved root
 *       disk only, {@code all-non-removable} every disk that is neither removable nor on USB (the installer's own
 *       stick is one of those it never touches); each by its stable path: {@code wipefs --all --force}, then
 *       {@code blkdiscard --force} on a non-rotational disk, else (or when the disk refuses the discard) the first
 *       32 MiB zeroed with {@code dd};</li>
 *   <li>{@code disko} (20 %): partition, format and mount the resolved disk at the target with the
 *       plan's layout ({@code /etc/ultracloud/disko}, nix/disko);</li>
 *   <li>{@code credentials} (50 %): SSH host key and TLS material into the (now mounted) target —
 *       after disko, which would otherwise wipe them;</li>
 *   <li>{@code nixos-install} (60 %): {@code nixos-install --flake <flake>#<configuration> --no-root-passwd --root <target>},
 *       with the bare configuration name ({@code cp-1}): nixos-install looks it up as
 *       {@code nixosConfigurations."<configuration>"} itself;</li>
 *   <li>{@code succeeded} (100 %), then {@code systemctl reboot}.</li>
 * </ol>
 * A plan without a usable configuration name, or whose secrets are not sealed to this boot's key (or do not
 * open with it), is refused as step {@code plan} before anything is touched, so a plan nixos-install cannot
 * install never wipes a disk, and no secret that crossed the wire in the clear is ever used. A failed step is reported {@code failed} with the tail of
 * its output. Every step can run again
 * after a reboot mid-install: disko recreates the layout from scratch, credential files are replaced
 * atomically, nixos-install is re-runnable on the same target.
 */
final class Installation {

    static final int LOG_TAIL_LINES = 50;
    static final String TLS_DIR = "var/lib/ultracloud/tls";
    static final String WIPE_ROOT_DISK = "root-disk";
    static final String WIPE_ALL_NON_REMOVABLE = "all-non-removable";
    /** How much of a disk's start {@code dd} zeroes when it cannot discard: partition tables, RAID and LVM headers. */
    static final int ZEROED_MIB = 32;

    private final DeployerClient client;
    private final Installer installer;
    private final String token;
    private final MachineInventory facts;
    private final InstallerKey key;
    private final CommandExecutor executor;
    private final Installer.Settings settings;
    private final Installer.Console console;
    private String progressToken; // from the opened secrets: only this installer can report on the plan

    Installation(DeployerClient client, Installer installer, String token, MachineInventory facts, InstallerKey key,
                 CommandExecutor executor, Installer.Settings settings, Installer.Console console) {
        this.client = client;
        this.installer = installer;
        this.token = token;
        this.facts = facts;
        this.key = key;
        this.executor = executor;
        this.settings = settings;
        this.console = console;
    }

    /** A step that failed: its name, a one-line reason and the log tail for the report. */
    private static final class StepFailed extends Exception {
        final String step;
        final String logTail;

        StepFailed(String step, String reason, String logTail) {
            super(reason, null, false, false);
            this.step = step;
            this.logTail = logTail;
        }
    }

    InstallOutcome perform(String machineId, BootstrapPlan bootstrap, int attempt) throws InterruptedException {
        InstallPlan plan = bootstrap.plan();
        String hostname = bootstrap.assignment() == null ? null : bootstrap.assignment().hostname();
        String planId = plan.planId();
        console.line("machine " + machineId + " (" + hostname + "): installing plan " + planId + ", attempt " + attempt);
        String root = null;
        try {
            BootstrapPlan.Secrets secrets = open(bootstrap.secrets(), machineId, planId);
            String configuration = configuration(plan);
            String wipe = wipePolicy(plan);
            report(planId, InstallProgress.RUNNING, "root-device", 5, "resolving the root device from the plan's hints");
            root = resolveRootDevice(plan);

            List<Disk> wiped = wipeTargets(wipe, root);
            report(planId, InstallProgress.RUNNING, "wipe", 10, "wiping " + wiped.size() + (wiped.size() == 1 ? " disk" : " disks")
                    + " (" + wipe + "): " + String.join(", ", wiped.stream().map(d -> StableDevicePath.of(d).orElseThrow()).toList()));
            for (Disk disk : wiped) {
                wipe(disk);
            }

            report(planId, InstallProgress.RUNNING, "disko", 20, "partitioning " + root + " as " + plan.diskLayout());
            command("disko", diskoCommand(plan, root));

            report(planId, InstallProgress.RUNNING, "credentials", 50, "writing the SSH host key and TLS material");
            writeCredentials(secrets);

            report(planId, InstallProgress.RUNNING, "nixos-install", 60, "installing " + plan.system().flake() + "#"
                    + configuration);
            command("nixos-install", nixosInstallCommand(plan.system().flake(), configuration));
        } catch (StepFailed f) {
            console.line("step " + f.step + " failed: " + f.getMessage());
            String state = executor.dryRun() ? null : reportFailure(planId, f);
            return new InstallOutcome(InstallOutcome.Result.INSTALL_FAILED, machineId, hostname, state, root, attempt,
                    f.step + ": " + f.getMessage());
        }
        String state = null;
        if (!executor.dryRun()) {
            String done = "installed " + plan.system().flake() + "#" + plan.system().configuration() + " on " + root;
            InstallProgressAck ack = installer.retrying("progress", machineId, "INSTALLING", () -> client.progress(token,
                    progressToken, new InstallProgress(planId, InstallProgress.SUCCEEDED, "done", 100, done, null)));
            state = ack.state();
        }
        console.line("machine " + machineId + " (" + hostname + ") installed on " + root + "; rebooting");
        try {
            executor.run("reboot", List.of("systemctl", "reboot"));
        } catch (IOException e) {
            console.line("reboot failed: " + e.getMessage());
        }
        return new InstallOutcome(InstallOutcome.Result.INSTALLED, machineId, hostname, state, root, attempt, null);
    }

    /**
     * The plan's secrets opened with this boot's private key. Secrets in the clear are refused: the deployer
     * never sends them so, and whatever crossed the wire in the clear may have been read or replaced on the way.
     */
    private BootstrapPlan.Secrets open(BootstrapPlan.Secrets secrets, String machineId, String planId) throws StepFailed {
        if (secrets == null || secrets.sealed() == null) {
            throw new StepFailed("plan", "the plan's secrets are not sealed to this installer's key "
                    + key.fingerprint() + "; refusing to use secrets that crossed the wire in the clear", null);
        }
        try {
            BootstrapPlan.Secrets opened = PlanSecretsSeal.open(secrets.sealed(), key, machineId, planId);
            progressToken = opened.progressToken();
            return opened;
        } catch (SealException e) {
            throw new StepFailed("plan", e.getMessage(), null);
        }
    }

    private String resolveRootDevice(InstallPlan plan) throws StepFailed {
        InstallPlan.RootDevice planned = plan.rootDevice();
        if (planned == null || planned.path() == null) {
            throw new StepFailed("root-device", "the plan names no root device", null);
        }
        RootDeviceHints hints;
        try {
            hints = RootDeviceHints.parse(planned.matchedHints());
        } catch (RootDeviceHintException e) {
            throw new StepFailed("root-device", "the plan's root-device hints are invalid here: " + e.getMessage(), null);
        }
        RootDeviceResolution local = RootDeviceResolver.resolve(facts.disks(), hints);
        if (local.path() == null) {
            throw new StepFailed("root-device", "root device mismatch: the plan names " + planned.path()
                    + " but no local disk matches the hints (" + hints + "): " + local.summary(), null);
        }
        if (!local.path().equals(planned.path())) {
            throw new StepFailed("root-device", "root device mismatch: the plan names " + planned.path()
                    + " but the hints (" + hints + ") resolve to " + local.path() + " on this machine; refusing to install",
                    null);
        }
        console.line("root device " + local.path() + " confirmed (" + hints + ")");
        return local.path();
    }

    private List<String> diskoCommand(InstallPlan plan, String root) {
        List<String> cmd = new ArrayList<>(List.of("disko", "--mode", "disko",
                "--root-mountpoint", settings.target().toString(),
                "--argstr", "layout", plan.diskLayout(), "--argstr", "device", root));
        if ("storage-array".equals(plan.diskLayout())) {
            List<String> data = dataDevices(root);
            cmd.addAll(List.of("--arg", "dataDevices",
                    "[ " + String.join(" ", data.stream().map(p -> "\"" + p + "\"").toList()) + " ]"));
        }
        cmd.add(settings.diskoConfig());
        return cmd;
    }

    /** Every other local disk that could hold data: fixed (not removable, not USB) and with a stable path. */
    /** The plan's wipe policy; an unknown one is refused before any disk is touched. */
    private static String wipePolicy(InstallPlan plan) throws StepFailed {
        String wipe = plan.wipe() == null ? WIPE_ROOT_DISK : plan.wipe();
        if (!WIPE_ROOT_DISK.equals(wipe) && !WIPE_ALL_NON_REMOVABLE.equals(wipe)) {
            throw new StepFailed("plan", "unknown wipe policy '" + wipe + "' (known: " + WIPE_ALL_NON_REMOVABLE + ", "
                    + WIPE_ROOT_DISK + "); refusing to touch a disk", null);
        }
        return wipe;
    }

    /**
     * The disks the policy wipes: the root disk, and with {@code all-non-removable} every other fixed disk (the
     * same set disko gets as data devices). Never a removable or USB disk. A fixed disk without a stable path is
     * left untouched and said so: the installer never addresses a disk by its kernel name.
     */
    private List<Disk> wipeTargets(String policy, String root) throws StepFailed {
        List<Disk> out = new ArrayList<>();
        for (Disk disk : facts.disks()) {
            Optional<String> path = StableDevicePath.of(disk);
            if (path.isPresent() && path.get().equals(root)) {
                out.add(0, disk);
            } else if (WIPE_ALL_NON_REMOVABLE.equals(policy) && fixed(disk)) {
                if (path.isPresent()) {
                    out.add(disk);
                } else {
                    console.line("wipe: " + disk.name() + " has no stable path (/dev/disk/by-id, by-path); left untouched");
                }
            }
        }
        if (out.isEmpty() || !StableDevicePath.of(out.get(0)).orElseThrow().equals(root)) {
            throw new StepFailed("wipe", "the root disk " + root + " is not among this machine's disks; refusing to wipe", null);
        }
        return out;
    }

    /** Erases the signatures, then discards (non-rotational) or zeroes the start of the disk. */
    private void wipe(Disk disk) throws StepFailed, InterruptedException {
        String path = StableDevicePath.of(disk).orElseThrow();
        command("wipe", List.of("wipefs", "--all", "--force", path));
        if (Boolean.FALSE.equals(disk.rotational())) {
            CommandExecutor.CommandResult discard = run("wipe", List.of("blkdiscard", "--force", path));
            if (discard.succeeded()) {
                return;
            }
            console.line("wipe: blkdiscard " + path + " exited with " + discard.exitCode() + "; zeroing its start instead");
        }
        command("wipe", List.of("dd", "if=/dev/zero", "of=" + path, "bs=1M", "count=" + ZEROED_MIB, "conv=fsync", "status=none"));
    }

    private static boolean fixed(Disk disk) {
        boolean usb = disk.transport() != null && disk.transport().toLowerCase(Locale.ROOT).equals("usb");
        return !Boolean.TRUE.equals(disk.removable()) && !usb;
    }

    private List<String> dataDevices(String root) {
        List<String> out = new ArrayList<>();
        for (Disk disk : facts.disks()) {
            if (!fixed(disk)) {
                continue;
            }
            Optional<String> path = StableDevicePath.of(disk);
            path.filter(p -> !p.equals(root)).ifPresent(out::add);
        }
        return out;
    }

    /**
     * The name nixos-install takes after {@code #}: the plan's {@code system.configuration}, which must be what
     * the plan's {@code system.attribute} names ({@code nixosConfigurations.<configuration>}).
     */
    private static String configuration(InstallPlan plan) throws StepFailed {
        InstallPlan.SystemRef system = plan.system();
        if (system == null || system.flake() == null || system.flake().isBlank()) {
            throw new StepFailed("plan", "the plan names no flake (plan.system.flake); refusing to install", null);
        }
        if (system.configuration() == null || !InstallPlan.SystemRef.configurationOf(system.attribute())
                .equals(Optional.of(system.configuration()))) {
            throw new StepFailed("plan", "the plan's system (attribute " + system.attribute() + ", configuration "
                    + system.configuration() + ") is not a NixOS configuration nixos-install can install "
                    + "(nixosConfigurations.<name> with configuration <name>); refusing to install", null);
        }
        return system.configuration();
    }

    private List<String> nixosInstallCommand(String flake, String configuration) {
        return List.of("nixos-install", "--flake", flake + "#" + configuration,
                "--no-root-passwd", "--root", settings.target().toString());
    }

    private void writeCredentials(BootstrapPlan.Secrets secrets) throws StepFailed {
        if (secrets == null || secrets.sshHostKey() == null || secrets.tls() == null) {
            throw new StepFailed("credentials", "the plan carries no SSH host key or TLS material", null);
        }
        Path target = settings.target();
        try {
            write(target.resolve("etc/ssh/ssh_host_ed25519_key"), withNewline(secrets.sshHostKey().privateKeyOpenssh()), "rw-------");
            write(target.resolve("etc/ssh/ssh_host_ed25519_key.pub"), withNewline(secrets.sshHostKey().publicKey()), "rw-r--r--");
            write(target.resolve(TLS_DIR + "/node.crt"), withNewline(secrets.tls().certificatePem()), "rw-r--r--");
            write(target.resolve(TLS_DIR + "/node.key"), withNewline(secrets.tls().privateKeyPem()), "rw-------");
            write(target.resolve(TLS_DIR + "/ca.crt"), withNewline(secrets.tls().caCertificatePem()), "rw-r--r--");
        } catch (IOException | RuntimeException e) {
            throw new StepFailed("credentials", "cannot write the credentials into " + target + ": " + e.getMessage(), null);
        }
    }

    private void write(Path file, String content, String permissions) throws IOException {
        executor.writeFile(file, content.getBytes(StandardCharsets.UTF_8), permissions);
    }

    private static String withNewline(String s) {
        if (s == null) {
            throw new IllegalArgumentException("a credential is missing from the plan");
        }
        return s.endsWith("\n") ? s : s + "\n";
    }

    private void command(String step, List<String> command) throws StepFailed, InterruptedException {
        CommandExecutor.CommandResult result = run(step, command);
        if (!result.succeeded()) {
            throw new StepFailed(step, command.get(0) + " exited with " + result.exitCode(), result.tail(LOG_TAIL_LINES));
        }
    }

    private CommandExecutor.CommandResult run(String step, List<String> command) throws StepFailed, InterruptedException {
        try {
            return executor.run(step, command);
        } catch (IOException e) {
            throw new StepFailed(step, "cannot run " + command.get(0) + ": " + e.getMessage(), null);
        }
    }

    private void report(String planId, String result, String step, int percent, String message) throws InterruptedException {
        console.line("[" + percent + "%] " + step + ": " + message);
        if (!executor.dryRun()) {
            installer.retrying("progress", null, "INSTALLING",
                    () -> client.progress(token, progressToken, new InstallProgress(planId, result, step, percent, message, null)));
        }
    }

    /** Reports the failure; returns the deployer's resulting state (null if the report itself failed). */
    private String reportFailure(String planId, StepFailed f) throws InterruptedException {
        try {
            InstallProgress failed = new InstallProgress(planId, InstallProgress.FAILED, f.step, null,
                    truncate(f.step + ": " + f.getMessage(), 2000), f.logTail);
            InstallProgressAck ack = installer.retrying("progress", null, "INSTALLING",
                    () -> client.progress(token, progressToken, failed));
            return ack.state();
        } catch (DeployerException e) {
            console.line("could not report the failure: " + e.getMessage());
            return null;
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
