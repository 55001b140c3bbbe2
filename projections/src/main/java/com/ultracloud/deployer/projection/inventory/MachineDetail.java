package com.ultracloud.deployer.projection.inventory;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.ultracloud.deployer.machine.api.MachineState;
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

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rollout(String desiredSystem, String runningSystem, String status, Instant updatedAt) {
        public static final Rollout NONE = new Rollout(null, null, "none", null);
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

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Failure(String reason, String by, MachineState previousState, String logTail, Instant at) {
    }
}
