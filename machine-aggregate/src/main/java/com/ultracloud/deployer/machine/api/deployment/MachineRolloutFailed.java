package com.ultracloud.deployer.machine.api.deployment;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;

/** One machine of the deployment failed; {@code failures} of {@code failureThreshold} are used up. */
public record MachineRolloutFailed(DeploymentId deploymentId, MachineId machineId, String reason, int failures,
                                   int failureThreshold) implements HostDeploymentEvent {
}
