package com.ultracloud.deployer.gateway.enrollment;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.event.InventoryRefreshed;
import com.ultracloud.deployer.machine.api.event.MachineCommissioned;
import com.ultracloud.deployer.machine.api.event.MachineDiscovered;
import com.ultracloud.deployer.machine.api.event.MachineInspected;
import com.ultracloud.deployer.machine.api.intent.ClusterIntentImported;
import com.ultracloud.deployer.projection.inventory.FleetIndex;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static com.ultracloud.deployer.gateway.enrollment.EnrollmentSteps.Step.COMMISSION;
import static com.ultracloud.deployer.gateway.enrollment.EnrollmentSteps.Step.INSPECT;
import static com.ultracloud.deployer.gateway.enrollment.EnrollmentSteps.Step.INSTALL;

/**
 * The enrollment policy, edge-triggered: applies the matching node's or rule's flags as machines
 * show up. A fixed node is inspected and commissioned; a rule inspects ({@code autoInspect}),
 * commissions ({@code autoCommission}) and requests the install ({@code autoInstall}) as it says.
 * <p>
 * Its commands run in the unit of work of the event (and its token update), so a crash loses both or
 * neither. A step that fails anyway (an operator raced it, a timeout) is logged and skipped here:
 * {@link EnrollmentReconciler} takes it again once the machine has waited in that state, so no
 * machine depends on seeing its event exactly once. Replay-safe: replayed events are never acted on
 * ({@link DisallowReplay}).
 */
@Component
@ProcessingGroup(EnrollmentPolicy.PROCESSING_GROUP)
class EnrollmentPolicy {

    static final String PROCESSING_GROUP = "enrollment-policy";
    private static final Logger log = LoggerFactory.getLogger(EnrollmentPolicy.class);
    private static final String ACTOR = "policy";

    private static final Set<MachineState> WAITING = Set.of(MachineState.DISCOVERED, MachineState.INSPECTED);
    private static final int PAGE = 500;

    private final FleetIndex index;
    private final EnrollmentSteps steps;

    EnrollmentPolicy(FleetIndex index, EnrollmentSteps steps) {
        this.index = index;
        this.steps = steps;
    }

    @EventHandler
    @DisallowReplay
    void on(MachineDiscovered event) {
        steps.advance(event.machineId(), INSPECT, Instant.MIN, ACTOR);
    }

    /** New facts may make a rule match (or change the class to check): inspect again. */
    @EventHandler
    @DisallowReplay
    void on(InventoryRefreshed event, @Timestamp Instant at) {
        steps.advance(event.machineId(), INSPECT, at, ACTOR);
    }

    @EventHandler
    @DisallowReplay
    void on(MachineInspected event) {
        steps.advance(event.machineId(), COMMISSION, Instant.MIN, ACTOR);
    }

    @EventHandler
    @DisallowReplay
    void on(MachineCommissioned event) {
        steps.advance(event.machineId(), INSTALL, Instant.MIN, ACTOR);
    }

    /**
     * A new intent may match machines that waited (or change the class they are checked against):
     * give each of them its chance. A machine inspected after this import was already checked
     * under it and is left alone.
     */
    @EventHandler
    @DisallowReplay
    void on(ClusterIntentImported event, @Timestamp Instant importedAt) {
        if (!steps.automation()) {
            return;
        }
        // oldest discovery first, a page at a time: the ids only, never the whole inventory at once
        FleetIndex.Waiting after = null;
        List<FleetIndex.Waiting> page;
        do {
            page = index.waitingIn(WAITING, after, PAGE);
            for (FleetIndex.Waiting m : page) {
                steps.advance(MachineId.parse(m.machineId()), INSPECT, importedAt, ACTOR);
            }
            after = page.isEmpty() ? after : page.get(page.size() - 1);
        } while (page.size() == PAGE);
    }

    /**
     * The policy keeps no state, so a reset (an operator replaying its processor) has nothing to
     * clear; the replayed events are skipped by {@link DisallowReplay}, so nothing is sent twice.
     */
    @ResetHandler
    void reset() {
        log.info("enrollment policy reset: replayed events are not acted on");
    }
}
