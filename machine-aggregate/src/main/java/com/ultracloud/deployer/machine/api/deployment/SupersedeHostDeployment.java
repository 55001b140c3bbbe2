package com.ultracloud.deployer.machine.api.deployment;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/**
 * A newer deployment ({@code supersededBy}, at {@code supersedingGeneration}) covers {@code machines} of this
 * one: this one stops touching them. Refused unless the other deployment is newer.
 */
public record SupersedeHostDeployment(@TargetAggregateIdentifier DeploymentId deploymentId, DeploymentId supersededBy,
                                      long supersedingGeneration, List<MachineId> machines) {
    public SupersedeHostDeployment {
        machines = machines == null ? List.of() : List.copyOf(machines);
    }
}
