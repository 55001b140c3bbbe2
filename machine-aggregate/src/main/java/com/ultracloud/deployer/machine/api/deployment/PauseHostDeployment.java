package com.ultracloud.deployer.machine.api.deployment;

import com.ultracloud.deployer.machine.api.rollout.DeploymentId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Stop starting new batches; machines in flight finish. */
public record PauseHostDeployment(@TargetAggregateIdentifier DeploymentId deploymentId, String reason) {
}
