package com.ultracloud.deployer.gateway.rollout;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.deployment.MachineSelector;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;
import com.ultracloud.deployer.machine.saga.RolloutTargets;
import com.ultracloud.deployer.projection.inventory.FleetIndex;
import com.ultracloud.deployer.projection.rollout.RolloutView;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rollout saga's view of the fleet, over the read models (Axon resolves this bean as a handler parameter of
 * the saga). Every answer is an indexed read: the inventory's columns for what a selector covers (never the JSON
 * detail), the rollout model's {@code machine_id} index for the machines started deployments still own, and the
 * few PENDING deployments' selectors matched against the asked machines' placements. The read models may lag the
 * event store by a moment; the saga is built for that (docs/rollout.md, "RolloutTargets").
 */
@Component
class ReadModelRolloutTargets implements RolloutTargets {

    private final FleetIndex fleet;
    private final RolloutView rollouts;

    ReadModelRolloutTargets(FleetIndex fleet, RolloutView rollouts) {
        this.fleet = fleet;
        this.rollouts = rollouts;
    }

    @Override
    public List<CoveredMachine> covered(MachineSelector selector) {
        return fleet.covered(selector).stream().map(m -> new CoveredMachine(MachineId.parse(m.machineId()), m.hostname(),
                m.state(), health(m.health()))).toList();
    }

    @Override
    public List<Claim> unfinishedClaims(DeploymentId asking, Collection<MachineId> machines) {
        if (machines.isEmpty()) {
            return List.of();
        }
        List<String> ids = machines.stream().map(MachineId::toString).distinct().toList();
        Map<String, Claimed> claims = new LinkedHashMap<>();
        for (RolloutView.StartedClaim c : rollouts.startedClaims(asking.toString(), ids)) {
            claims.computeIfAbsent(c.deploymentId(), k -> new Claimed(c.generation())).machines.add(MachineId.parse(c.machineId()));
        }
        List<RolloutView.PendingDeployment> pending = rollouts.pending(asking.toString());
        if (!pending.isEmpty()) {
            Map<String, FleetIndex.Placement> placements = fleet.placementsOf(ids);
            for (RolloutView.PendingDeployment p : pending) {
                for (FleetIndex.Placement m : placements.values()) {
                    MachineId id = MachineId.parse(m.machineId());
                    if (!p.superseded().contains(m.machineId())
                            && p.selector().matches(id, m.hostname(), m.nodeClass(), m.pool(), m.labels())) {
                        claims.computeIfAbsent(p.deploymentId(), k -> new Claimed(p.generation())).machines.add(id);
                    }
                }
            }
        }
        List<Claim> out = new ArrayList<>();
        claims.forEach((id, c) -> out.add(new Claim(DeploymentId.of(id), c.generation, c.machines)));
        return out;
    }

    private static Health health(String status) {
        return switch (status) {
            case "healthy" -> Health.HEALTHY;
            case "unhealthy" -> Health.UNHEALTHY;
            default -> Health.UNKNOWN;
        };
    }

    private static final class Claimed {
        final long generation;
        final List<MachineId> machines = new ArrayList<>();

        Claimed(long generation) {
            this.generation = generation;
        }
    }
}
