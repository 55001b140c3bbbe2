package com.ultracloud.deployer.machine.api.deployment;

import com.ultracloud.deployer.machine.api.rollout.DeploymentId;

/** A host deployment exists (PENDING); the rollout saga starts on it. */
public record HostDeploymentCreated(DeploymentId deploymentId, long generation, HostDeploymentSpec spec,
                                    DeploymentState state) implements DeploymentStateChanged {
}
