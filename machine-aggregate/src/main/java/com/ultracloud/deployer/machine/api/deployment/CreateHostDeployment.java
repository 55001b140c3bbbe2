package com.ultracloud.deployer.machine.api.deployment;

import com.ultracloud.deployer.machine.api.rollout.DeploymentId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Create a host deployment (from the intent's {@code hostDeployments} on import, or {@code POST
 * /api/v1/host-deployments}). {@code generation} orders deployments: a higher one is newer and supersedes
 * older unfinished ones on the machines both cover; the creator takes it from one increasing counter.
 * Creating the same id with the same spec again is a no-op, whatever the generation (a re-import keeps the
 * first one); the same id with another spec is refused.
 */
public record CreateHostDeployment(@TargetAggregateIdentifier DeploymentId deploymentId, long generation,
                                   HostDeploymentSpec spec) {
}
