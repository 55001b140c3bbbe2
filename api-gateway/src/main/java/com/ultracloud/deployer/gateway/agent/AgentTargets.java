package com.ultracloud.deployer.gateway.agent;

import com.ultracloud.deployer.gateway.problem.ConflictException;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.query.FindInstallPlan;
import com.ultracloud.deployer.machine.api.query.FindMachine;
import com.ultracloud.deployer.projection.installplan.InstallPlanView;
import com.ultracloud.deployer.projection.inventory.MachineDetail;
import com.ultracloud.deployer.protocol.InstallPlan;
import com.ultracloud.deployer.protocol.agent.DesiredSystem;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.Optional;

/**
 * What a node's agent should run now, read from the read models (cheap: one row by key each time a waiting
 * long-poll is woken): the machine's desired system when one is set; for an INSTALLED machine without one, the
 * <b>first-boot target</b>, the system its install plan installed (deployment {@value DesiredSystems#FIRST_BOOT},
 * generation 0, switch, no health check), so that the agent confirms the installed system and its first
 * {@code healthy} report activates the machine (INSTALLED → ACTIVE); otherwise nothing.
 */
@Component
class AgentTargets {

    /** A desired system as the agent API answers it: its ETag, generation and wire record. */
    record Desired(String etag, long generation, DesiredSystem body) {
    }

    private final QueryGateway queries;

    AgentTargets(QueryGateway queries) {
        this.queries = queries;
    }

    Optional<Desired> now(AgentIdentity agent) {
        MachineDetail machine = queries.query(new FindMachine(agent.machineId()),
                ResponseTypes.optionalInstanceOf(MachineDetail.class)).join().orElse(agent.machine());
        Optional<DesiredSystem> desired;
        try {
            desired = DesiredSystems.of(machine);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // a target the wire cannot say (an intent's nested attribute): the agent backs off and asks again
            throw new ConflictException("desired-system-unrepresentable", "the desired system of machine "
                    + machine.machineId() + " cannot be sent to the agent: " + e.getMessage(),
                    Map.of("machineId", machine.machineId()));
        }
        if (desired.isPresent()) {
            return Optional.of(new Desired(DesiredSystems.etag(machine).orElseThrow(), desired.get().generation(), desired.get()));
        }
        if (machine.state() == MachineState.INSTALLED) {
            return firstBoot(agent);
        }
        return Optional.empty();
    }

    private Optional<Desired> firstBoot(AgentIdentity agent) {
        Optional<InstallPlan.SystemRef> installed = queries.query(new FindInstallPlan(agent.machineId()),
                        ResponseTypes.optionalInstanceOf(InstallPlanView.class)).join()
                .map(InstallPlanView::plan).map(InstallPlan::system)
                .filter(s -> s.flake() != null && DesiredSystems.configurationOf(s.attribute()).isPresent());
        return installed.map(s -> new Desired(DesiredSystems.tag(DesiredSystems.FIRST_BOOT, 0), 0,
                new DesiredSystem(DesiredSystems.FIRST_BOOT, 0, DesiredSystem.SystemTarget.flake(s.flake(),
                        DesiredSystems.configurationOf(s.attribute()).orElseThrow()), DesiredSystem.SWITCH, null, null,
                        null, DesiredSystem.ROLLBACK_AUTOMATIC, null)));
    }
}
