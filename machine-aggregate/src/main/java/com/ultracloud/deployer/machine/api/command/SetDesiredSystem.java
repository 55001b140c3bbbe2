package com.ultracloud.deployer.machine.api.command;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.rollout.ActivationSettings;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;
import com.ultracloud.deployer.machine.api.rollout.TargetSystem;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The system the machine's nix-agent should run, for {@code deploymentId} at {@code generation} (the
 * deployment's order number: a higher generation is a newer deployment). Allowed while INSTALLED (the
 * first-boot target), ACTIVE and DRAINING; a generation older than the machine's current one is refused,
 * the same deployment, generation and system again is a no-op. Sent by the rollout saga.
 */
public record SetDesiredSystem(@TargetAggregateIdentifier MachineId machineId, DeploymentId deploymentId,
                               long generation, TargetSystem system, ActivationSettings activation) {
}
