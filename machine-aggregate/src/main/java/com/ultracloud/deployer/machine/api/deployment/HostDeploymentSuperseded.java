package com.ultracloud.deployer.machine.api.deployment;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;

import java.util.List;

/**
 * A newer deployment took over {@code machines}: this one no longer touches them (queued or in flight) and
 * they do not count as its successes or failures.
 */
public record HostDeploymentSuperseded(DeploymentId deploymentId, DeploymentId supersededBy, List<MachineId> machines)
        implements HostDeploymentEvent {
    public HostDeploymentSuperseded {
        machines = machines == null ? List.of() : List.copyOf(machines);
    }
}
