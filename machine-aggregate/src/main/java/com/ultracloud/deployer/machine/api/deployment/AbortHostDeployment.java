package com.ultracloud.deployer.machine.api.deployment;

import com.ultracloud.deployer.machine.api.rollout.DeploymentId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Stop the deployment for good; machines are left as they are (in flight or not). */
public record AbortHostDeployment(@TargetAggregateIdentifier DeploymentId deploymentId, String reason) {
}
