package com.ultracloud.deployer.machine.api.deployment;

import com.ultracloud.deployer.machine.api.rollout.DeploymentId;

/** Every event of a HostDeployment names it (the rollout saga's association key). */
public interface HostDeploymentEvent {
    DeploymentId deploymentId();
}
