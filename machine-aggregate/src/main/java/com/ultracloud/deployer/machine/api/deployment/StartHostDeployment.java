package com.ultracloud.deployer.machine.api.deployment;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/**
 * The rollout saga resolved the deployment's machines: {@code targets} in rollout order, the covered machines
 * it {@code skipped} and why, and {@code maxUnavailable} resolved to a count.
 */
public record StartHostDeployment(@TargetAggregateIdentifier DeploymentId deploymentId, List<MachineId> targets,
                                  List<SkippedMachine> skipped, int maxUnavailable) {
    public StartHostDeployment {
        targets = targets == null ? List.of() : List.copyOf(targets);
        skipped = skipped == null ? List.of() : List.copyOf(skipped);
    }
}
