package com.ultracloud.deployer.machine.api.deployment;

import com.ultracloud.deployer.machine.api.rollout.DeploymentId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Start batches again after a pause. */
public record ResumeHostDeployment(@TargetAggregateIdentifier DeploymentId deploymentId) {
}
