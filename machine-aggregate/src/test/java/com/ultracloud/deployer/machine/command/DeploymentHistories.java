package com.ultracloud.deployer.machine.command;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.deployment.*;
import com.ultracloud.deployer.machine.api.rollout.ActivationSettings;
import com.ultracloud.deployer.machine.api.rollout.ActivationStrategy;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;
import com.ultracloud.deployer.machine.api.rollout.HealthCheck;
import com.ultracloud.deployer.machine.api.rollout.RollbackPolicy;
import com.ultracloud.deployer.machine.api.rollout.TargetSystem;
import com.ultracloud.deployer.machine.lifecycle.DeploymentCondition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.ultracloud.deployer.machine.api.deployment.DeploymentState.*;

/**
 * Test-side knowledge of how a host deployment gets somewhere: for each state (and each guard a row needs),
 * realistic past events for the web tier's rollout over three machines, and the command of each action.
 */
final class DeploymentHistories {

    static final DeploymentId D = DeploymentId.of("web-2025-06");
    static final DeploymentId NEWER = DeploymentId.of("web-2025-07");
    static final long GENERATION = 5;
    static final MachineId M1 = MachineId.ofFingerprint("smbios:web-1");
    static final MachineId M2 = MachineId.ofFingerprint("smbios:web-2");
    static final MachineId M3 = MachineId.ofFingerprint("smbios:web-3");
    static final MachineId ELSEWHERE = MachineId.ofFingerprint("smbios:db-1");
    static final String SYSTEM = "/nix/store/0f3k9a1m2q8x7c6v5b4n3z2l1p0o9i8u-nixos-system-web-25.05.1";
    static final HostDeploymentSpec SPEC = new HostDeploymentSpec(
            new MachineSelector(List.of("web"), List.of("rack-a"), Map.of("tier", "web"), null, null),
            TargetSystem.flake("git+https://git.lab.example/fleet?rev=4f2a", "web"), 2, MaxUnavailable.count(2),
            DrainPolicy.drainFirst(600),
            new ActivationSettings(ActivationStrategy.SWITCH, 300, 120, HealthCheck.http("http://127.0.0.1/healthz"),
                    RollbackPolicy.AUTOMATIC),
            2);

    private DeploymentHistories() {
    }

    static List<Object> created() {
        return List.of(new HostDeploymentCreated(D, GENERATION, SPEC, PENDING));
    }

    static List<Object> inProgress() {
        return plus(created(), new HostDeploymentStarted(D, List.of(M1, M2, M3),
                List.of(new SkippedMachine(ELSEWHERE, "is DRAINING, not ACTIVE")), 2, IN_PROGRESS));
    }

    static List<Object> paused() {
        return plus(inProgress(), new HostDeploymentPaused(D, "look at web-1 first", PAUSED));
    }

    static List<Object> succeeded() {
        return plus(inProgress(), new MachineRolledOut(D, M1, SYSTEM), new MachineRolledOut(D, M2, SYSTEM),
                new MachineRolledOut(D, M3, SYSTEM), new HostDeploymentSucceeded(D, 3, 0, 0, SUCCEEDED));
    }

    static List<Object> failed() {
        return plus(inProgress(), new MachineRolloutFailed(D, M1, "the agent reported rolled-back", 1, 2),
                new MachineRolloutFailed(D, M2, "the agent reported rolled-back", 2, 2),
                new HostDeploymentFailed(D, 2, 2, 1, FAILED));
    }

    static List<Object> aborted() {
        return plus(inProgress(), new HostDeploymentAborted(D, "wrong revision", "alice", ABORTED));
    }

    static List<Object> at(DeploymentState state) {
        return switch (state) {
            case PENDING -> created();
            case IN_PROGRESS -> inProgress();
            case PAUSED -> paused();
            case SUCCEEDED -> succeeded();
            case FAILED -> failed();
            case ABORTED -> aborted();
        };
    }

    /** The history at {@code state} in which {@code condition} holds for {@code action}'s command. */
    static List<Object> history(DeploymentState state, DeploymentAction action, DeploymentCondition condition) {
        List<Object> base = at(state);
        DeploymentCondition c = condition == null ? DeploymentCondition.ALWAYS : condition;
        return switch (action) {
            case RECORD_ROLLED_OUT, RECORD_ROLLOUT_FAILED -> switch (c) {
                case ALREADY_RECORDED -> plus(base, action == DeploymentAction.RECORD_ROLLED_OUT
                        ? new MachineRolledOut(D, M1, SYSTEM) : new MachineRolloutFailed(D, M1, "timed out", 1, 2));
                case THRESHOLD_REACHED -> plus(base, new MachineRolloutFailed(D, M2, "timed out", 1, 2));
                case LAST_MACHINE -> plus(base, new MachineRolledOut(D, M2, SYSTEM), new MachineRolledOut(D, M3, SYSTEM));
                default -> base;
            };
            case SUPERSEDE -> c != DeploymentCondition.NOTHING_COVERED ? base
                    : state == PENDING ? plus(base, new HostDeploymentSuperseded(D, NEWER, List.of(M1)))
                    : plus(base, new MachineRolledOut(D, M1, SYSTEM)); // M1 is no longer this deployment's to roll out
            default -> base;
        };
    }

    /** The command of {@code action}, with data that makes {@code condition} hold where the data decides it. */
    static Object command(DeploymentAction action, DeploymentCondition condition) {
        DeploymentCondition c = condition == null ? DeploymentCondition.ALWAYS : condition;
        return switch (action) {
            case CREATE -> new CreateHostDeployment(D, GENERATION, SPEC);
            case START -> new StartHostDeployment(D, c == DeploymentCondition.NO_TARGETS ? List.of() : List.of(M1, M2, M3),
                    List.of(new SkippedMachine(ELSEWHERE, "is DRAINING, not ACTIVE")), 2);
            case PAUSE -> new PauseHostDeployment(D, "look at web-1 first");
            case RESUME -> new ResumeHostDeployment(D);
            case ABORT -> new AbortHostDeployment(D, "wrong revision");
            case RECORD_ROLLED_OUT -> new RecordMachineRolledOut(D, M1, SYSTEM);
            case RECORD_ROLLOUT_FAILED -> new RecordMachineRolloutFailed(D, M1, "the agent reported rolled-back");
            case SUPERSEDE -> new SupersedeHostDeployment(D, NEWER, GENERATION + 1, switch (c) {
                case LAST_MACHINE -> List.of(M1, M2, M3);
                default -> List.of(M1);
            });
        };
    }

    static List<Object> plus(List<Object> history, Object... more) {
        List<Object> all = new ArrayList<>(history);
        all.addAll(List.of(more));
        return List.copyOf(all);
    }
}
