package com.ultracloud.deployer.gateway.agent;

import com.ultracloud.deployer.gateway.problem.ConflictException;
import com.ultracloud.deployer.gateway.machine.MachineHistory;
import com.ultracloud.deployer.machine.api.InstallPlanSummary;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.event.InstallPlanIssued;
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
 * What a node's agent should run now, read from the read models when they have folded the machine's last event
 * (cheap: one row by key and the machine's last sequence number each time a waiting long-poll is woken), else from
 * the machine's events, so that an answer never goes back behind an earlier one: the machine's desired system when one is set; for an INSTALLED machine without one, the
 * <b>first-boot target</b>, the system its install plan installed (deployment {@value DesiredSystems#FIRST_BOOT},
 * generation 0, switch, no health check), so that the agent confirms the installed system and its first
 * {@code healthy} report activates the machine (INSTALLED → ACTIVE); while a rescue or reprovision directive is open
 * (RESCUE, REPROVISIONING), the directive ({@link DirectiveAnswers}); otherwise nothing.
 */
@Component
class AgentTargets {

    /** A desired system as the agent API answers it: its ETag, generation and wire record. */
    record Desired(String etag, long generation, DesiredSystem body) {
        boolean directive() {
            return body.directive() != null;
        }
    }

    private final QueryGateway queries;
    private final MachineHistory history;
    private final DirectiveAnswers directives;

    AgentTargets(QueryGateway queries, MachineHistory history, DirectiveAnswers directives) {
        this.queries = queries;
        this.history = history;
        this.directives = directives;
    }

    /** What the agent should do now; {@code deployer} is the base URL it reached this deployer at. */
    Optional<Desired> now(AgentIdentity agent, String deployer) {
        // the inventory when it has folded the machine's last event, else the machine's events folded once: an answer
        // must never go back behind one the agent already had (a lagging inventory would answer the first boot of a
        // machine the agent already activated); the check is one indexed query, the fold is rare (only while behind)
        Optional<MachineDetail> listed = queries.query(new FindMachine(agent.machineId()),
                ResponseTypes.optionalInstanceOf(MachineDetail.class)).join();
        long last = history.lastVersion(agent.machineId()).orElse(-1L);
        Optional<MachineDetail> found = listed.filter(m -> m.version() >= last).or(() -> history.current(agent.machineId()));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        MachineDetail machine = found.get();
        if (machine.directive() != null && machine.directive().open()) {
            return Optional.of(directives.answer(machine.directive(), deployer));
        }
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
            return firstBoot(agent, machine);
        }
        return Optional.empty();
    }

    private Optional<Desired> firstBoot(AgentIdentity agent, MachineDetail machine) {
        return installedSystem(agent, machine)
                .filter(s -> s.flake() != null && DesiredSystems.configurationOf(s.attribute()).isPresent())
                .map(s -> new Desired(DesiredSystems.tag(DesiredSystems.FIRST_BOOT, 0), 0,
                        new DesiredSystem(DesiredSystems.FIRST_BOOT, 0, DesiredSystem.SystemTarget.flake(s.flake(),
                                DesiredSystems.configurationOf(s.attribute()).orElseThrow()), DesiredSystem.SWITCH, null,
                                null, null, DesiredSystem.ROLLBACK_AUTOMATIC, null)));
    }

    /**
     * The system the machine's plan installed: from the install-plan read model, or, while that lags the install
     * by a moment, from the plan's {@code InstallPlanIssued} in the machine's events (first boot only).
     */
    private Optional<InstallPlan.SystemRef> installedSystem(AgentIdentity agent, MachineDetail machine) {
        String planId = machine.install() == null ? null : machine.install().planId();
        Optional<InstallPlan.SystemRef> projected = queries.query(new FindInstallPlan(agent.machineId()),
                        ResponseTypes.optionalInstanceOf(InstallPlanView.class)).join()
                .filter(v -> planId == null || planId.equals(v.planId()))
                .map(InstallPlanView::plan).map(InstallPlan::system);
        if (projected.isPresent() || planId == null) {
            return projected;
        }
        InstallPlanSummary issued = null;
        for (Object event : history.payloadsThrough(agent.machineId(), machine.version())) {
            if (event instanceof InstallPlanIssued e && planId.equals(e.plan().planId())) {
                issued = e.plan();
            }
        }
        return Optional.ofNullable(issued).map(p -> InstallPlan.SystemRef.of(p.flake(), p.attribute()));
    }
}
