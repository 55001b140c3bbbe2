package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.rollout.ActivationSettings;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;
import com.ultracloud.deployer.machine.api.rollout.TargetSystem;

/**
 * The machine's desired system changed: what the nix-agent's {@code GET /api/v1/agent/desired-system}
 * answers from now on. The rollout field only; the lifecycle state does not change.
 */
public record DesiredSystemSet(MachineId machineId, DeploymentId deploymentId, long generation, TargetSystem system,
                               ActivationSettings activation) implements MachineEvent {
}
