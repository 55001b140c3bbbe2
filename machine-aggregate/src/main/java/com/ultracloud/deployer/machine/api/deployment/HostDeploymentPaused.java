package com.ultracloud.deployer.machine.api.deployment;

import com.ultracloud.deployer.machine.api.rollout.DeploymentId;

/** No new batch starts until resumed; machines in flight finish. */
public record HostDeploymentPaused(DeploymentId deploymentId, String reason, DeploymentState state)
        implements DeploymentStateChanged {
}
