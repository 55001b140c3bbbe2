package com.ultracloud.deployer.machine.saga;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.deployment.MachineSelector;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The rollout saga's port to the inventory: which machines a selector covers now, in which lifecycle state and
 * health, and which unfinished deployments already claim them. Implemented by the gateway over its inventory
 * and rollout read models (registered as a Spring bean, so Axon injects it into the saga's handlers as a
 * resource); the tests use an in-memory implementation.
 */
public interface RolloutTargets {

    /**
     * Every machine {@link MachineSelector#matches the selector covers}, in any lifecycle state, with its health;
     * in a stable order (the rollout order: hostname, then id, is a good one).
     */
    List<CoveredMachine> covered(MachineSelector selector);

    /**
     * The unfinished (PENDING, IN_PROGRESS, PAUSED) deployments other than {@code asking} that cover any of
     * {@code machines}: for a PENDING one by its selector, for a started one by its targets less the machines
     * already superseded or finished. Each with its generation and the machines of {@code machines} it covers.
     */
    List<Claim> unfinishedClaims(DeploymentId asking, Collection<MachineId> machines);

    /** Runtime health as the inventory knows it (the nix-agent's last report); orthogonal to the lifecycle state. */
    enum Health {
        HEALTHY,
        /** Its last activation report failed or rolled back, or its health check fails: counts as unavailable. */
        UNHEALTHY,
        /** No report yet: treated as available. */
        UNKNOWN
    }

    /** A covered machine: its hostname (from its assignment; resolves a per-host target), lifecycle state and health. */
    record CoveredMachine(MachineId machineId, String hostname, MachineState state, Health health) {
        public CoveredMachine {
            Objects.requireNonNull(machineId, "machine id");
            Objects.requireNonNull(state, "state");
            health = health == null ? Health.UNKNOWN : health;
        }

        /** Out of service for the max-unavailable budget: DRAINING, FAILED, or unhealthy. */
        public boolean unavailable() {
            return state == MachineState.DRAINING || state == MachineState.FAILED || health == Health.UNHEALTHY;
        }

        /** Can be rolled out: ACTIVE and not unhealthy. */
        public boolean eligible() {
            return state == MachineState.ACTIVE && health != Health.UNHEALTHY;
        }
    }

    /** Another unfinished deployment and the machines (of those asked about) it covers. */
    record Claim(DeploymentId deploymentId, long generation, List<MachineId> machines) {
        public Claim {
            machines = List.copyOf(machines);
        }
    }
}
