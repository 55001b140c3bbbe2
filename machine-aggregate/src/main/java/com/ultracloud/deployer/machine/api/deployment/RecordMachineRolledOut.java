package com.ultracloud.deployer.machine.api.deployment;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The rollout saga: the machine runs the new system and passed its health check. Recording it twice is a no-op. */
public record RecordMachineRolledOut(@TargetAggregateIdentifier DeploymentId deploymentId, MachineId machineId,
                                     String runningSystem) {
}
