package com.ultracloud.deployer.machine.api.deployment;

/** An event after which the deployment is in {@link #state()}. */
public interface DeploymentStateChanged extends HostDeploymentEvent {
    DeploymentState state();
}
