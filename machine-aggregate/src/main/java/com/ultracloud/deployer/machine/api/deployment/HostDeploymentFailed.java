package com.ultracloud.deployer.machine.api.deployment;

import com.ultracloud.deployer.machine.api.rollout.DeploymentId;

/**
 * Failures reached the threshold: the rollout stops and leaves the machines it has not reached untouched;
 * {@code unfinished} counts the machines without an outcome (queued or in flight).
 */
public record HostDeploymentFailed(DeploymentId deploymentId, int failures, int failureThreshold, int unfinished,
                                   DeploymentState state) implements DeploymentStateChanged {
}
