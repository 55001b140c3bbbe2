package com.ultracloud.deployer.machine.api.deployment;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;

import java.util.List;

/** The deployment's machines are resolved ({@code targets}, in rollout order) and the rollout begins. */
public record HostDeploymentStarted(DeploymentId deploymentId, List<MachineId> targets, List<SkippedMachine> skipped,
                                    int maxUnavailable, DeploymentState state) implements DeploymentStateChanged {
    public HostDeploymentStarted {
        targets = targets == null ? List.of() : List.copyOf(targets);
        skipped = skipped == null ? List.of() : List.copyOf(skipped);
    }
}
