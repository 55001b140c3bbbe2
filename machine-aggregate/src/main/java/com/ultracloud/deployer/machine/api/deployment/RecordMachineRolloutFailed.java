package com.ultracloud.deployer.machine.api.deployment;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The rollout saga: the machine failed (the agent reported failed or rolled-back, no verdict came in time, or
 * the drain did not complete); counts toward the failure threshold. Recording it twice is a no-op.
 */
public record RecordMachineRolloutFailed(@TargetAggregateIdentifier DeploymentId deploymentId, MachineId machineId,
                                         String reason) {
}
