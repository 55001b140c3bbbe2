package com.ultracloud.deployer.machine.api.command;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.rollout.ActivationResult;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The nix-agent's activation report (DESIGN §8.1 {@code POST /api/v1/agent/activation}): the deployment and
 * generation it acted on ({@code null} and 0 for the system the installer put there), the result, the
 * system now running and a message. The first {@code healthy} while INSTALLED also activates the machine.
 */
public record ReportActivation(@TargetAggregateIdentifier MachineId machineId, DeploymentId deploymentId,
                               ActivationResult result, String runningSystem, long generation, String message) {
}
