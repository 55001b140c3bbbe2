package com.ultracloud.deployer.machine.api.deployment;

import com.ultracloud.deployer.machine.api.rollout.ActivationSettings;
import com.ultracloud.deployer.machine.api.rollout.TargetSystem;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything a host deployment does (docs/rollout.md explains every knob): which machines, which system, how
 * many at a time ({@code batchSize}) and at most how many out of service ({@code maxUnavailable}), whether to
 * drain first, how the agent activates and confirms ({@code activation}: strategy, activation and confirm
 * timeouts, health check, rollback policy), and after how many failed machines the deployment fails
 * ({@code failureThreshold}).
 */
public record HostDeploymentSpec(MachineSelector selector, TargetSystem system, int batchSize,
                                 MaxUnavailable maxUnavailable, DrainPolicy drain, ActivationSettings activation,
                                 int failureThreshold) {

    /** Every problem of the spec; empty when it is complete. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (selector == null || selector.coversEverything()) {
            problems.add("an empty selector would roll out to every machine; name node classes, pools, labels, hostnames or machine ids");
        }
        add(problems, system == null ? "a target system is required" : system.problem());
        if (batchSize < 1) {
            problems.add("batch size must be at least 1");
        }
        add(problems, maxUnavailable == null ? "max unavailable is required" : maxUnavailable.problem());
        add(problems, drain == null ? "a drain policy is required" : drain.problem());
        add(problems, activation == null ? "activation settings are required" : activation.problem());
        if (failureThreshold < 1) {
            problems.add("failure threshold must be at least 1");
        }
        return problems;
    }

    private static void add(List<String> problems, String problem) {
        if (problem != null) {
            problems.add(problem);
        }
    }
}
