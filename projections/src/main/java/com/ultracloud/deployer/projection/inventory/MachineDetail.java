package com.ultracloud.deployer.projection.inventory;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.rollout.ActivationSettings;
import com.ultracloud.deployer.machine.api.rollout.TargetSystem;
import com.ultracloud.deployer.protocol.MachineInventory;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One machine as operators see it (DESIGN §8.1). Lifecycle {@code state}, {@code power},
 * {@code rollout} and {@code health} are separate on purpose: a machine can be ACTIVE with power
 * unknown and health degraded. {@code version} is the sequence number of the last event folded in.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MachineDetail(
        String machineId,
        MachineState state,
        long generation,
        boolean drained,
        String hostname,
        String nodeId,
        String nodeClass,
        String pool,
        Map<String, String> labels,
        Assignment assignment,
        Power power,
        Rollout rollout,
        Health health,
        Install install,
        Inspection inspection,
        Failure lastFailure,
        InstallerKey installer,
        MachineState returnState,
        Rescue rescue,
        Directive directive,
        MachineInventory hardware,
        String fingerprint,
        String factsDigest,
        int unexpectedInstallerBoots,
        Instant discoveredAt,
        Instant lastSeen,
        Instant updatedAt,
        String lastEvent,
        long version) {

    /** How the assignment came about: the rule that matched (null when explicit) and the intent generation. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Assignment(String matchedRule, Long intentGeneration) {
    }

    /** Power as last observed. Without a BMC the deployer only knows "on" when the machine talks to it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Power(String state, String source, Instant observedAt) {
        public static final Power UNKNOWN = new Power("unknown", "none", null);
    }

    /**
     * The machine's rollout field (docs/rollout.md), beside the lifecycle state and never folded into it:
     * what it should run ({@code desiredSystem} in one line; {@code deploymentId}, {@code generation},
     * {@code target} and {@code activation} in full, which the agent API answers from), what it last reported
     * running, {@code status} ({@code none}, {@code pending}, {@code activating}, {@code healthy},
     * {@code failed}, {@code rolled-back}: follows only reports about the current desired system) and the
     * last report whatever it was about ({@code lastActivation.current} false: a stale one).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rollout(String desiredSystem, String runningSystem, String status, Instant updatedAt,
                          String deploymentId, Long generation, TargetSystem target, ActivationSettings activation,
                          LastActivation lastActivation) {
        public static final Rollout NONE = new Rollout(null, null, "none", null, null, null, null, null, null);

        /** Whether a desired system is set (the agent API answers it). */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean desired() {
            return deploymentId != null && target != null && activation != null;
        }
    }

    /** The nix-agent's last activation report: about which deployment and generation, its result, and when. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LastActivation(String deploymentId, long generation, String result, String runningSystem,
                                 String message, boolean current, Instant at) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Health(String status, String detail, Instant observedAt) {
        public static final Health UNKNOWN = new Health("unknown", null, null);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Install(Integer attempt, Integer attemptLimit, String planId, String installProfile,
                          String rootDevice, String step, Integer percent, String message, String result,
                          Instant updatedAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Inspection(String result, List<String> unmet, Instant at) {
    }

    /**
     * The installer the pending install's secrets are sealed to ({@code keyFingerprint}, since {@code boundAt})
     * and, under deployer.bootstrap.rebind=operator, the new key that waits for approval.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InstallerKey(String keyFingerprint, Instant boundAt, String awaitingApproval, Instant requestedAt) {
    }

    /**
     * Rescue (issue 11): {@code requested} until an installer boots, {@code booted} until it reports the
     * operators' keys written and sshd running, then {@code ready} with the {@code addresses} to reach it at
     * ({@code ssh root@ADDRESS}). Absent outside rescue.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rescue(String status, List<String> addresses, Instant requestedAt, Instant readyAt) {
    }

    /**
     * The directive a rescue or reprovision gave the machine's nix-agent (docs/day2.md): {@code pending} until the
     * agent acknowledges it, {@code acknowledged} (the agent kexecs into the installer) until an installer boots
     * ({@code booted}), or {@code unreachable}: the machine cannot carry it out itself ({@code reason}); {@code action}
     * then tells the operator what to do. Kept after the installer booted, until the next directive or the next
     * machine generation, so the history of the operation stays visible.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Directive(String id, String kind, String status, String reason, String action, Instant requestedAt,
                            Instant acknowledgedAt, Instant updatedAt) {

        public static final String PENDING = "pending";
        public static final String ACKNOWLEDGED = "acknowledged";
        public static final String BOOTED = "booted";
        public static final String UNREACHABLE = "unreachable";

        /** Whether the agent API still hands it to the node's agent (not yet acted on, or acted on without a boot). */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean open() {
            return PENDING.equals(status) || ACKNOWLEDGED.equals(status);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Failure(String reason, String by, MachineState previousState, String logTail, Instant at) {
    }
}
