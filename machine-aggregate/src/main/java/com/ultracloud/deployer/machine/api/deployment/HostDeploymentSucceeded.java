package com.ultracloud.deployer.machine.api.deployment;

import com.ultracloud.deployer.machine.api.rollout.DeploymentId;

/** Every machine the deployment still owned finished with fewer failures than the threshold. */
public record HostDeploymentSucceeded(DeploymentId deploymentId, int rolledOut, int failed, int superseded,
                                      DeploymentState state) implements DeploymentStateChanged {
}
