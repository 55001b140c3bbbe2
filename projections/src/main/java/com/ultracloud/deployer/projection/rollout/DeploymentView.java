package com.ultracloud.deployer.projection.rollout;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentSpec;

import java.time.Instant;
import java.util.List;

/**
 * One host deployment as operators see it: its own state (never a machine's), the spec and a one-line summary of
 * it, counts by outcome, progress, and (in the detail) each machine's phase with desired vs running system and the
 * agent's last report. {@code version} is the sequence number of the deployment's last event folded in.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentView(String deploymentId, long generation, String state, String summary, HostDeploymentSpec spec,
                             Integer maxUnavailable, String reason, Counts counts, Progress progress,
                             List<MachineView> machines, Instant createdAt, Instant updatedAt, long version) {

    /**
     * How many machines are where: {@code targets} the machines it rolls out (queued + activating + rolled out +
     * failed, and superseded ones it gave up), {@code skipped} the covered machines it left alone when it started.
     */
    public record Counts(int targets, int queued, int activating, int rolledOut, int failed, int superseded, int skipped) {
    }

    /** {@code done} of {@code total} machines it still owns have an outcome; {@code percent} rounded down. */
    public record Progress(int done, int total, int percent) {
        static Progress of(Counts c) {
            int total = c.targets() - c.superseded();
            int done = c.rolledOut() + c.failed();
            return new Progress(done, total, total == 0 ? 100 : done * 100 / total);
        }
    }

    /** One machine in this deployment. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MachineView(String machineId, String phase, String reason, String desiredSystem, String runningSystem,
                              String lastResult, String lastMessage, Instant updatedAt) {
    }

    DeploymentView withMachines(List<MachineView> list) {
        return new DeploymentView(deploymentId, generation, state, summary, spec, maxUnavailable, reason, counts, progress,
                list, createdAt, updatedAt, version);
    }
}
