package com.ultracloud.deployer.machine.saga;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.deployment.MachineSelector;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link RolloutTargets} over a map the caller fills: machines with their assignment, state and health, and
 * unfinished deployments with their generation and machines. For tests; not thread-safe.
 */
final class InMemoryRolloutTargets implements RolloutTargets {

    /** A machine as the inventory knows it. */
    public record Known(MachineId machineId, String hostname, String nodeClass, String pool, Map<String, String> labels,
                        MachineState state, Health health) {
    }

    private final Map<MachineId, Known> machines = new LinkedHashMap<>();
    private final Map<DeploymentId, Claim> deployments = new LinkedHashMap<>();
    /** When set, {@link #covered} throws it: the inventory cannot be read. */
    RuntimeException outage;

    /** Adds or replaces a machine; machines are covered in the order they were first put. */
    public InMemoryRolloutTargets put(Known machine) {
        machines.put(machine.machineId(), machine);
        return this;
    }

    /** Changes a known machine's state and health. */
    public InMemoryRolloutTargets set(MachineId id, MachineState state, Health health) {
        Known k = machines.get(id);
        return put(new Known(id, k.hostname(), k.nodeClass(), k.pool(), k.labels(), state, health));
    }

    /** Records an unfinished deployment and the machines it covers. */
    public InMemoryRolloutTargets unfinished(DeploymentId id, long generation, List<MachineId> covers) {
        deployments.put(id, new Claim(id, generation, covers));
        return this;
    }

    public InMemoryRolloutTargets finished(DeploymentId id) {
        deployments.remove(id);
        return this;
    }

    @Override
    public List<CoveredMachine> covered(MachineSelector selector) {
        if (outage != null) {
            throw outage;
        }
        return machines.values().stream()
                .filter(m -> selector.matches(m.machineId(), m.hostname(), m.nodeClass(), m.pool(), m.labels()))
                .map(m -> new CoveredMachine(m.machineId(), m.hostname(), m.state(), m.health()))
                .toList();
    }

    @Override
    public List<Claim> unfinishedClaims(DeploymentId asking, Collection<MachineId> asked) {
        List<Claim> claims = new ArrayList<>();
        for (Claim d : deployments.values()) {
            if (d.deploymentId().equals(asking)) {
                continue;
            }
            List<MachineId> shared = d.machines().stream().filter(asked::contains).toList();
            if (!shared.isEmpty()) {
                claims.add(new Claim(d.deploymentId(), d.generation(), shared));
            }
        }
        return claims;
    }
}
