package com.ultracloud.deployer.machine.api.deployment;

import com.ultracloud.deployer.machine.api.rollout.DeploymentId;

/** Stopped by an operator; nothing more is done to any machine, and nothing is undone. */
public record HostDeploymentAborted(DeploymentId deploymentId, String reason, String by, DeploymentState state)
        implements DeploymentStateChanged {
}
