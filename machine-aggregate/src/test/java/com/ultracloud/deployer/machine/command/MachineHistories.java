package com.ultracloud.deployer.machine.command;

import com.ultracloud.deployer.machine.api.HardwareRequirements;
import com.ultracloud.deployer.machine.api.InstallPlanSummary;
import com.ultracloud.deployer.machine.api.IssuedCredentials;
import com.ultracloud.deployer.machine.api.LifecycleAction;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.NodeAssignment;
import com.ultracloud.deployer.machine.api.command.*;
import com.ultracloud.deployer.machine.api.event.*;
import com.ultracloud.deployer.machine.api.rollout.ActivationResult;
import com.ultracloud.deployer.machine.api.rollout.ActivationSettings;
import com.ultracloud.deployer.machine.api.rollout.ActivationStrategy;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;
import com.ultracloud.deployer.machine.api.rollout.HealthCheck;
import com.ultracloud.deployer.machine.api.rollout.RollbackPolicy;
import com.ultracloud.deployer.machine.api.rollout.TargetSystem;
import com.ultracloud.deployer.machine.domain.MachineFingerprint;
import com.ultracloud.deployer.machine.lifecycle.Condition;
import com.ultracloud.deployer.machine.testdata.LabHardware;
import com.ultracloud.deployer.protocol.InventoryDigest;
import com.ultracloud.deployer.protocol.MachineInventory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.ultracloud.deployer.machine.api.MachineState.*;
import static com.ultracloud.deployer.machine.testdata.LabHardware.GIB;

/**
 * Test-side knowledge of how a machine gets somewhere: for each state (and each condition a row of
 * the lifecycle table needs), the realistic past events that bring the lab's compute server there,
 * and for each action the command an operator, the installer, the saga or a deadline would send.
 */
final class MachineHistories {

    static final MachineInventory FACTS = LabHardware.server();
    static final String DIGEST = InventoryDigest.of(FACTS);
    /** Other hardware: the USB stick is gone. */
    static final MachineInventory CHANGED_FACTS = LabHardware.serverWithoutUsbStick();
    static final String CHANGED_DIGEST = InventoryDigest.of(CHANGED_FACTS);
    /** The same hardware with another DHCP address: the facts changed, the hardware did not. */
    static final MachineInventory READDRESSED_FACTS = new MachineInventory(FACTS.identity(), FACTS.nics(), FACTS.disks(),
            FACTS.cpu(), FACTS.memoryBytes(), FACTS.boot(),
            new MachineInventory.NetworkFacts(List.of("10.0.0.77/24"), "10.0.0.1", List.of("10.0.0.1")), FACTS.installer());
    static final String READDRESSED_DIGEST = InventoryDigest.of(READDRESSED_FACTS);
    /** The installer key bound to the pending install, and another one (a reboot, or an impostor). */
    static final String KEY_A = "sha256:" + "a1".repeat(32);
    static final String KEY_B = "sha256:" + "b2".repeat(32);
    static final MachineFingerprint FINGERPRINT = MachineFingerprint.of(FACTS);
    static final MachineId ID = FINGERPRINT.machineId();

    /** The compute class's minimums: the server meets them. */
    static final HardwareRequirements COMPUTE = new HardwareRequirements(16, null, 64 * GIB, 2, 900_000_000_000L, 2, null);
    /** The storage class's minimums: the server misses threads, memory and disk count. */
    static final HardwareRequirements STORAGE = new HardwareRequirements(64, null, 512 * GIB, 8, 900_000_000_000L, 2, null);

    static final NodeAssignment ASSIGNMENT = new NodeAssignment("node-a01", "node-a01", "compute", "rack-a",
            Map.of("rack", "a", "role", "worker"), "supermicro-compute", 4L);
    static final String PLAN_ID = "plan-4-node-a01-1";
    static final InstallPlanSummary PLAN = new InstallPlanSummary(PLAN_ID, 4L, "server",
            "git+https://git.lab.example/fleet", "nixosConfigurations.node-a01.config.system.build.toplevel",
            "/dev/disk/by-id/nvme-SAMSUNG_MZQL2960HCJR-00A07_S64FNE0R812345", "single-disk-ext4");
    static final InstallPlanSummary REISSUED_PLAN = new InstallPlanSummary("plan-4-node-a01-2", 4L, "server",
            PLAN.flake(), PLAN.attribute(), PLAN.rootDevicePath(), PLAN.diskLayout());
    static final IssuedCredentials CREDENTIALS = new IssuedCredentials(
            "SHA256:qM6pXf3w0Gk2Z8wq9c1eB7r8v2T0yJ4Lh5nKx3dUaPo", "5f3a9c0e11d2b7a4",
            "SHA256:9b1c7e2a4f6d8e0a1c3b5d7f9e1a3c5b7d9f1e3a5c7b9d1f3e5a7c9b1d3f5e7a",
            "sha256:0c8f2b7e9a4d6c1e3f5a7b9d1c3e5f7a9b1d3c5e7f9a1b3d5c7e9f1a3b5d7c9e",
            Instant.parse("2025-06-02T10:15:00Z"));
    static final String SYSTEM = "/nix/store/7yq3w0m4s2kz5f8h1v6c9p0d3b2n4x5j-nixos-system-node-a01-25.05";
    static final int ATTEMPT_LIMIT = 3;
    /** The web tier's deployment, its generation and target: what the rollout saga sets. */
    static final DeploymentId DEPLOYMENT = DeploymentId.of("web-2025-06");
    static final long GENERATION = 7;
    static final String NEW_SYSTEM = "/nix/store/0f3k9a1m2q8x7c6v5b4n3z2l1p0o9i8u-nixos-system-node-a01-25.05.1";
    static final ActivationSettings ACTIVATION = new ActivationSettings(ActivationStrategy.SWITCH, 300, 120,
            HealthCheck.http("http://127.0.0.1:9100/healthz"), RollbackPolicy.AUTOMATIC);
    /** The directive a rescue or reprovision of an installed machine gives its nix-agent (the machine's first). */
    static final String DIRECTIVE = "directive-1";
    static final DesiredSystemSet DESIRED = new DesiredSystemSet(ID, DEPLOYMENT, GENERATION,
            TargetSystem.storePath(NEW_SYSTEM), ACTIVATION);

    /** Where a history leaves the machine, and what it remembers. */
    record Scenario(MachineState state, Condition condition, List<Object> history, MachineState lastStable,
                    MachineState returnState, boolean drained) {
    }

    private MachineHistories() {
    }

    /** The history that brings a machine to {@code state} with {@code condition} holding (when it depends on history). */
    static Scenario scenario(MachineState state, Condition condition) {
        if (condition == Condition.RESCUE_JUST_ENDED) { // rescued from {@code state} and back: the installer asks once more
            Scenario before = lifecycleScenario(state, null);
            return new Scenario(state, condition, plus(before.history(), new RescueRequested(ID, state, MachineState.RESCUE, DIRECTIVE),
                    new RescueBooted(ID), new RescueReady(ID, FACTS.network().addresses()), new RescueExited(ID, state)),
                    before.lastStable(), null, before.drained());
        }
        Scenario at = lifecycleScenario(state, condition);
        if (condition == Condition.DESIRED_SYSTEM_UNCHANGED) {
            return new Scenario(at.state(), condition, plus(at.history(), DESIRED), at.lastStable(), at.returnState(),
                    at.drained());
        }
        return at;
    }

    private static Scenario lifecycleScenario(MachineState state, Condition condition) {
        return switch (state) {
            case DISCOVERED -> new Scenario(state, condition, discovered(), DISCOVERED, null, false);
            case INSPECTED -> new Scenario(state, condition, inspected(), INSPECTED, null, false);
            case COMMISSIONED -> new Scenario(state, condition, commissioned(), COMMISSIONED, null, false);
            case INSTALL_PENDING -> new Scenario(state, condition, switch (condition == null ? Condition.ALWAYS : condition) {
                case INSTALLER_CHANGED, INSTALLER_CHANGED_NEEDS_APPROVAL -> plus(installPending(), new InstallerKeyBound(ID, KEY_A));
                case REBIND_REQUESTED -> rebindRequested();
                default -> installPending();
            }, COMMISSIONED, null, false);
            case INSTALLING -> condition == Condition.ATTEMPTS_USED_UP
                    ? new Scenario(state, condition, installingLastAttempt(), COMMISSIONED, null, false)
                    : new Scenario(state, condition, installing(), COMMISSIONED, null, false);
            case INSTALLED -> new Scenario(state, condition, installed(), INSTALLED, null, false);
            case ACTIVE -> new Scenario(state, condition, active(), ACTIVE, null, false);
            case DRAINING -> condition == Condition.DRAINED
                    ? new Scenario(state, condition, drained(), ACTIVE, null, true)
                    : new Scenario(state, condition, draining(), ACTIVE, null, false);
            case REPROVISIONING -> new Scenario(state, condition, withDirectiveStage(reprovisioning(), condition), COMMISSIONED, null, false);
            case RESCUE -> new Scenario(state, condition, switch (condition == null ? Condition.ALWAYS : condition) {
                case RESCUE_READY_NEW -> plus(rescue(), new RescueBooted(ID));
                case RESCUE_NOTHING_NEW -> plus(rescue(), new RescueBooted(ID), new RescueReady(ID, FACTS.network().addresses()));
                default -> withDirectiveStage(rescue(), condition);
            }, ACTIVE, ACTIVE, false);
            case FAILED -> new Scenario(state, condition, failed(), ACTIVE, null, false);
            case RETIRED -> new Scenario(state, condition, retired(), ACTIVE, null, false);
        };
    }

    /** The open directive acknowledged or failed, as {@code condition} asks (pending otherwise). */
    private static List<Object> withDirectiveStage(List<Object> history, Condition condition) {
        String kind = history.get(history.size() - 1) instanceof RescueRequested ? "rescue" : "reprovision";
        return switch (condition == null ? Condition.ALWAYS : condition) {
            case DIRECTIVE_ACKNOWLEDGED, DIRECTIVE_OVERTAKEN -> plus(history, new DirectiveAcknowledged(ID, DIRECTIVE, kind));
            case DIRECTIVE_FAILED -> plus(history, new DirectiveFailed(ID, DIRECTIVE, kind, FailDirective.ACKNOWLEDGE,
                    "no nix-agent acknowledged the directive within 120 s"));
            default -> history;
        };
    }

    // ------------------------------------------------------------------ histories

    static List<Object> discovered() {
        return List.of(new MachineDiscovered(ID, 1, FINGERPRINT.value(), FACTS, DIGEST, DISCOVERED));
    }

    static List<Object> inspected() {
        return plus(discovered(), new MachineInspected(ID, COMPUTE, INSPECTED));
    }

    static List<Object> commissioned() {
        return plus(inspected(), new MachineCommissioned(ID, COMMISSIONED), new NodeAssigned(ID, ASSIGNMENT));
    }

    static List<Object> installPending() {
        return plus(commissioned(),
                new InstallRequested(ID, ATTEMPT_LIMIT, INSTALL_PENDING),
                new BootstrapCredentialsIssued(ID, PLAN_ID, CREDENTIALS),
                new InstallPlanIssued(ID, PLAN));
    }

    /** An installer with another key than the bound one asked, under deployer.bootstrap.rebind=operator. */
    static List<Object> rebindRequested() {
        return plus(installPending(), new InstallerKeyBound(ID, KEY_A), new InstallerRebindRequested(ID, KEY_A, KEY_B));
    }

    /** First attempt under way. */
    static List<Object> installing() {
        return plus(installPending(),
                new InstallStarted(ID, PLAN_ID, 1, INSTALLING),
                new InstallProgressReported(ID, PLAN_ID, "disko", 15, "partitioning " + PLAN.rootDevicePath()));
    }

    /** Two attempts failed; the third (last) is under way. */
    static List<Object> installingLastAttempt() {
        return plus(installPending(),
                new InstallStarted(ID, PLAN_ID, 1, INSTALLING),
                new InstallFailed(ID, PLAN_ID, 1, ATTEMPT_LIMIT, "nixos-install: cache.nixos.org unreachable", "curl: (6)", INSTALL_PENDING),
                new InstallStarted(ID, PLAN_ID, 2, INSTALLING),
                new InstallFailed(ID, PLAN_ID, 2, ATTEMPT_LIMIT, "nixos-install: cache.nixos.org unreachable", "curl: (6)", INSTALL_PENDING),
                new InstallStarted(ID, PLAN_ID, 3, INSTALLING));
    }

    static List<Object> installed() {
        return plus(installing(),
                new InstallProgressReported(ID, PLAN_ID, "nixos-install", 90, "installing the boot loader"),
                new InstallSucceeded(ID, PLAN_ID, INSTALLED));
    }

    static List<Object> active() {
        return plus(installed(), new MachineActivated(ID, SYSTEM, ACTIVE));
    }

    static List<Object> draining() {
        return plus(active(), new DrainStarted(ID, DRAINING));
    }

    static List<Object> drained() {
        return plus(draining(), new DrainCompleted(ID, DRAINING));
    }

    static List<Object> reprovisioning() {
        return plus(drained(), new ReprovisionRequested(ID, false, CREDENTIALS, REPROVISIONING, DIRECTIVE));
    }

    static List<Object> rescue() {
        return plus(active(), new RescueRequested(ID, ACTIVE, MachineState.RESCUE, DIRECTIVE));
    }

    static List<Object> failed() {
        return plus(active(), new MachineMarkedFailed(ID, "ECC errors on DIMM A2", "alice", ACTIVE, FAILED));
    }

    static List<Object> retired() {
        return plus(drained(), new MachineRetired(ID, CREDENTIALS, RETIRED));
    }

    static List<Object> plus(List<Object> history, Object... more) {
        List<Object> all = new ArrayList<>(history);
        all.addAll(List.of(more));
        return List.copyOf(all);
    }

    // ------------------------------------------------------------------ commands

    /** The command of {@code action}, with data that makes {@code condition} hold where the data decides it. */
    static Object command(LifecycleAction action, Condition condition) {
        return switch (action) {
            case DISCOVER -> switch (condition == null ? Condition.ALWAYS : condition) {
                case HARDWARE_CHANGED -> new DiscoverMachine(ID, FINGERPRINT.value(), CHANGED_FACTS, CHANGED_DIGEST);
                case FACTS_CHANGED -> new DiscoverMachine(ID, FINGERPRINT.value(), READDRESSED_FACTS, READDRESSED_DIGEST);
                case INSTALLER_UNBOUND -> new DiscoverMachine(ID, FINGERPRINT.value(), FACTS, DIGEST, KEY_A, false);
                case INSTALLER_CHANGED -> new DiscoverMachine(ID, FINGERPRINT.value(), FACTS, DIGEST, KEY_B, false);
                case INSTALLER_CHANGED_NEEDS_APPROVAL -> new DiscoverMachine(ID, FINGERPRINT.value(), FACTS, DIGEST, KEY_B, true);
                // the rescue installer's heartbeat: sshd is up, at the same addresses as recorded
                case RESCUE_READY_NEW, RESCUE_NOTHING_NEW, RESCUE_JUST_ENDED -> new DiscoverMachine(ID, FINGERPRINT.value(), FACTS, DIGEST, null, false, true);
                default -> new DiscoverMachine(ID, FINGERPRINT.value(), FACTS, DIGEST);
            };
            case APPROVE_INSTALLER -> new ApproveInstallerRebind(ID, null, null);
            case INSPECT -> new InspectMachine(ID, condition == Condition.REQUIREMENTS_UNMET ? STORAGE : COMPUTE, null);
            case COMMISSION -> new CommissionMachine(ID, ASSIGNMENT, null);
            case REQUEST_INSTALL -> new RequestInstall(ID, ATTEMPT_LIMIT, null);
            case ISSUE_PLAN -> new IssueInstallPlan(ID, CREDENTIALS, REISSUED_PLAN);
            case FAIL_PLAN -> new FailInstallPlan(ID, "no disk matches the root-device hints of disk policy nvme-root",
                    List.of("sda: rotational true does not satisfy false"));
            case START_INSTALL -> new StartInstall(ID, PLAN_ID);
            case REPORT_PROGRESS -> new ReportInstallProgress(ID, PLAN_ID, "nixos-install", 60, "copying the closure");
            case COMPLETE_INSTALL -> new CompleteInstall(ID, PLAN_ID);
            case FAIL_INSTALL -> new FailInstall(ID, PLAN_ID, "disko: wipefs failed on " + PLAN.rootDevicePath(),
                    "wipefs: error: probing initialization failed: Device or resource busy");
            case TIME_OUT_INSTALL -> new TimeOutInstall(ID, null);
            case ACTIVATE -> new ActivateMachine(ID, SYSTEM);
            case SET_DESIRED_SYSTEM -> new SetDesiredSystem(ID, DEPLOYMENT, GENERATION, TargetSystem.storePath(NEW_SYSTEM),
                    ACTIVATION);
            // started: a report that does not activate (the healthy one on INSTALLED also takes the activate row)
            case REPORT_ACTIVATION -> new ReportActivation(ID, null, ActivationResult.STARTED, SYSTEM, 0, "activating");
            case DRAIN -> new DrainMachine(ID, null);
            case COMPLETE_DRAIN -> new CompleteDrain(ID, null);
            case UNDRAIN -> new UndrainMachine(ID, null);
            case REPROVISION -> new ReprovisionMachine(ID, condition == Condition.FORCED, null);
            case RESCUE -> new RescueMachine(ID, null);
            case EXIT_RESCUE -> new ExitRescue(ID, null);
            case MARK_FAILED -> new MarkMachineFailed(ID, "PSU 2 failed", null);
            case RECOVER -> new RecoverMachine(ID, null);
            case RETIRE -> new RetireMachine(ID, null);
            case ACKNOWLEDGE_DIRECTIVE -> new AcknowledgeDirective(ID, DIRECTIVE);
            // a stale acknowledge deadline; otherwise the agent's own word
            case FAIL_DIRECTIVE -> new FailDirective(ID, DIRECTIVE, condition == Condition.DIRECTIVE_OVERTAKEN
                    ? FailDirective.ACKNOWLEDGE : condition == Condition.DIRECTIVE_ACKNOWLEDGED ? FailDirective.BOOT
                    : FailDirective.AGENT, "kexec: Cannot load /run/ultracloud/kexec/bzImage");
        };
    }
}
