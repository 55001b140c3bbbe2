package com.ultracloud.deployer.gateway.enrollment;

import com.ultracloud.deployer.gateway.config.DeployerProperties;
import com.ultracloud.deployer.gateway.machine.MachineCommands;
import com.ultracloud.deployer.gateway.machine.MachineHistory;
import com.ultracloud.deployer.gateway.machine.RequestContext;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.command.InspectMachine;
import com.ultracloud.deployer.machine.api.command.RequestInstall;
import com.ultracloud.deployer.machine.api.event.InventoryRefreshed;
import com.ultracloud.deployer.machine.api.event.MachineCommissioned;
import com.ultracloud.deployer.machine.api.event.MachineDiscovered;
import com.ultracloud.deployer.machine.api.event.MachineInspected;
import com.ultracloud.deployer.machine.api.intent.ClusterIntentImported;
import com.ultracloud.deployer.machine.domain.enrollment.Enrollment;
import com.ultracloud.deployer.machine.domain.enrollment.EnrollmentMatcher;
import com.ultracloud.deployer.projection.inventory.MachineDetail;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * The enrollment policy: applies the matching node's or rule's flags as machines show up. A fixed
 * node is inspected and commissioned; a rule inspects ({@code autoInspect}), commissions
 * ({@code autoCommission}) and requests the install ({@code autoInstall}) as it says.
 * <p>
 * Replay-safe and idempotent: it never acts on replayed events ({@link DisallowReplay}), and before
 * every command it reads the machine's current state from the event store, acting only when the
 * machine is still where the step starts (an event delivered twice finds the step already done).
 * Commands it cannot send (an operator got there first, inspection failed) are logged and skipped.
 */
@Component
@ProcessingGroup(EnrollmentPolicy.PROCESSING_GROUP)
class EnrollmentPolicy {

    static final String PROCESSING_GROUP = "enrollment-policy";
    private static final Logger log = LoggerFactory.getLogger(EnrollmentPolicy.class);

    private final Enrollments enrollments;
    private final MachineHistory history;
    private final MachineCommands commands;
    private final DeployerProperties properties;

    EnrollmentPolicy(Enrollments enrollments, MachineHistory history, MachineCommands commands,
                     DeployerProperties properties) {
        this.enrollments = enrollments;
        this.history = history;
        this.commands = commands;
        this.properties = properties;
    }

    @EventHandler
    @DisallowReplay
    void on(MachineDiscovered event) {
        advance(event.machineId(), Step.INSPECT, Instant.MIN);
    }

    /** New facts may make a rule match (or change the class to check): inspect again. */
    @EventHandler
    @DisallowReplay
    void on(InventoryRefreshed event, @Timestamp Instant at) {
        advance(event.machineId(), Step.INSPECT, at);
    }

    @EventHandler
    @DisallowReplay
    void on(MachineInspected event) {
        advance(event.machineId(), Step.COMMISSION, Instant.MIN);
    }

    @EventHandler
    @DisallowReplay
    void on(MachineCommissioned event) {
        advance(event.machineId(), Step.INSTALL, Instant.MIN);
    }

    /**
     * A new intent may match machines that waited (or change the class they are checked against):
     * give each of them its chance. A machine inspected after this import was already checked
     * under it and is left alone.
     */
    @EventHandler
    @DisallowReplay
    void on(ClusterIntentImported event, @Timestamp Instant importedAt) {
        for (MachineDetail m : enrollments.live()) {
            if (m.state() == MachineState.DISCOVERED || m.state() == MachineState.INSPECTED) {
                advance(MachineId.parse(m.machineId()), Step.INSPECT, importedAt);
            }
        }
    }

    /**
     * The policy keeps no state, so a reset (an operator replaying its processor) has nothing to
     * clear; the replayed events are skipped by {@link DisallowReplay}, so nothing is sent twice.
     */
    @ResetHandler
    void reset() {
        log.info("enrollment policy reset: replayed events are not acted on");
    }

    private enum Step { INSPECT, COMMISSION, INSTALL }

    /**
     * @param reinspectIfBefore an INSPECTED machine is inspected again only when its last inspection
     *                          is older than this (new facts, a new intent); {@code Instant.MIN}: never
     */
    private void advance(MachineId id, Step trigger, Instant reinspectIfBefore) {
        if (!properties.enrollment().automation()) {
            return; // deployer.enrollment.automation=false: operators take every step
        }
        try {
            MachineDetail machine = history.current(id).orElse(null);
            if (machine == null) {
                return;
            }
            RequestContext context = RequestContext.system("enrollment-policy");
            MachineState state = machine.state();
            if (trigger == Step.INSTALL) {
                if (state == MachineState.COMMISSIONED && autoInstall(machine)) {
                    commands.send(new RequestInstall(id, properties.install().attemptLimit(), null), context);
                    log.info("machine {} ({}): install requested by {}", id, machine.hostname(),
                            machine.assignment().matchedRule());
                }
                return;
            }
            Enrollment e = enrollments.evaluate(machine);
            if (!e.isMatched()) {
                return; // waits, visibly: the machine detail carries the explanation
            }
            boolean inspect = trigger == Step.INSPECT && e.autoInspect()
                    && (state == MachineState.DISCOVERED
                    || (state == MachineState.INSPECTED && inspectedBefore(machine, reinspectIfBefore)));
            if (inspect) {
                commands.send(new InspectMachine(id, e.requirements(), null), context);
                log.info("machine {}: inspected for {} ({})", id, e.matched(), e.assignment().nodeClass());
            } else if (state == MachineState.INSPECTED && e.autoCommission()) {
                enrollments.commission(id, Enrollments.Requested.NONE, null, context);
                log.info("machine {}: commissioned as {} by {}", id, e.assignment().hostname(), e.matched());
            }
        } catch (RuntimeException ex) {
            log.warn("enrollment policy: machine {} ({}): {}", id, trigger, ex.getMessage());
        }
    }

    private static boolean inspectedBefore(MachineDetail machine, Instant instant) {
        Instant inspected = machine.inspection() == null ? null : machine.inspection().at();
        return inspected == null || inspected.isBefore(instant);
    }

    /** Installs automatically what the node or rule that assigned the machine says, under the intent in force. */
    private boolean autoInstall(MachineDetail machine) {
        String rule = machine.assignment() == null ? null : machine.assignment().matchedRule();
        return enrollments.intent().map(i -> EnrollmentMatcher.autoInstall(i.state(), rule).automatic()).orElse(false);
    }
}
