package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.rollout.ActivationResult;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;

/**
 * The nix-agent reported on an activation. {@code current} tells whether the report is about the machine's
 * current desired system (same deployment and generation): a stale report ({@code current == false}, e.g. a
 * late answer about a superseded deployment) is recorded for the audit and changes nothing else.
 */
public record ActivationReported(MachineId machineId, DeploymentId deploymentId, long generation,
                                 ActivationResult result, String runningSystem, String message,
                                 boolean current) implements MachineEvent {
}
