package com.ultracloud.deployer.machine.api.deployment;

import com.ultracloud.deployer.machine.api.rollout.DeploymentId;

/** Batches start again. */
public record HostDeploymentResumed(DeploymentId deploymentId, DeploymentState state) implements DeploymentStateChanged {
}
