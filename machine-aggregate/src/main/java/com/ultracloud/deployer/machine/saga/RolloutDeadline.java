package com.ultracloud.deployer.machine.saga;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;

/** The payload of a rollout deadline: whose rollout and, for the per-machine ones, which machine. */
public record RolloutDeadline(DeploymentId deploymentId, MachineId machineId) {
}
