package com.ultracloud.deployer.machine.api.deployment;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;

/** One machine of the deployment runs the new system and is healthy. */
public record MachineRolledOut(DeploymentId deploymentId, MachineId machineId, String runningSystem)
        implements HostDeploymentEvent {
}
