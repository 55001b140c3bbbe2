package com.ultracloud.deployer.gateway.enrollment;

import com.ultracloud.deployer.gateway.config.DeployerProperties;
import com.ultracloud.deployer.gateway.machine.MachineCommands;
import com.ultracloud.deployer.gateway.machine.MachineHistory;
import com.ultracloud.deployer.gateway.machine.RequestContext;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.command.InspectMachine;
import com.ultracloud.deployer.machine.api.command.RequestInstall;
import com.ultracloud.deployer.machine.domain.enrollment.Enrollment;
import com.ultracloud.deployer.machine.domain.enrollment.EnrollmentMatcher;
import com.ultracloud.deployer.projection.inventory.MachineDetail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;

/**
 * The steps of enrollment that follow from a machine's state under the intent in force: inspect a
 * DISCOVERED machine, commission an INSPECTED one, request the install of a COMMISSIONED one — each
 * only as the matching node's or rule's auto flags say. Taken on events by {@link EnrollmentPolicy}
 * and, level-triggered, by {@link EnrollmentReconciler} whenever a machine is seen waiting in such a
 * state. Every step first reads the machine's current state from the event store, so taking a step
 * twice finds it done; the aggregate refuses what no longer applies.
 */
@Component
class EnrollmentSteps {

    /** The states from which enrollment may still move a machine by itself. */
    static final Set<MachineState> AUTOMATED = Set.of(MachineState.DISCOVERED, MachineState.INSPECTED,
            MachineState.COMMISSIONED);

    enum Step { INSPECT, COMMISSION, INSTALL }

    private static final Logger log = LoggerFactory.getLogger(EnrollmentSteps.class);

    private final Enrollments enrollments;
    private final MachineHistory history;
    private final MachineCommands commands;
    private final DeployerProperties properties;
    private final Clock clock;

    EnrollmentSteps(Enrollments enrollments, MachineHistory history, MachineCommands commands,
                    DeployerProperties properties, Clock clock) {
        this.enrollments = enrollments;
        this.history = history;
        this.commands = commands;
        this.properties = properties;
        this.clock = clock;
    }

    boolean automation() {
        return properties.enrollment().automation();
    }

    /**
     * Edge-triggered: the step an event calls for.
     *
     * @param reinspectIfBefore an INSPECTED machine is inspected again only when its last inspection
     *                          is older than this (new facts, a new intent); {@code Instant.MIN}: never
     */
    void advance(MachineId id, Step trigger, Instant reinspectIfBefore, String actor) {
        if (!automation()) {
            return; // deployer.enrollment.automation=false: operators take every step
        }
        try {
            history.current(id).ifPresent(machine -> take(id, machine, trigger, reinspectIfBefore, actor));
        } catch (RuntimeException ex) {
            // the reconciler takes the step again once the machine has waited reconcile-after in this state
            log.warn("enrollment ({}): machine {} ({}): {}", actor, id, trigger, ex.getMessage());
        }
    }

    /**
     * Level-triggered: the step the machine's current state calls for, unless the machine changed
     * within {@code reconcile-after} (then its event is still being acted on). Answers whether a
     * command was sent.
     */
    boolean reconcile(MachineId id) {
        if (!automation()) {
            return false;
        }
        try {
            MachineDetail machine = history.current(id).orElse(null);
            if (machine == null || !AUTOMATED.contains(machine.state())) {
                return false;
            }
            Instant settled = clock.instant().minus(properties.enrollment().reconcileAfter());
            if (machine.updatedAt() != null && machine.updatedAt().isAfter(settled)) {
                return false;
            }
            Step step = switch (machine.state()) {
                case DISCOVERED -> Step.INSPECT;
                case INSPECTED -> Step.COMMISSION;
                default -> Step.INSTALL;
            };
            return take(id, machine, step, Instant.MIN, "reconciler");
        } catch (RuntimeException ex) {
            log.warn("enrollment (reconciler): machine {}: {}", id, ex.getMessage());
            return false;
        }
    }

    private boolean take(MachineId id, MachineDetail machine, Step trigger, Instant reinspectIfBefore, String actor) {
        RequestContext context = RequestContext.system("enrollment-policy");
        MachineState state = machine.state();
        if (trigger == Step.INSTALL) {
            if (state == MachineState.COMMISSIONED && autoInstall(machine)) {
                commands.send(new RequestInstall(id, properties.install().attemptLimit(), null), context);
                log.info("machine {} ({}): install requested by {} ({})", id, machine.hostname(),
                        machine.assignment().matchedRule(), actor);
                return true;
            }
            return false;
        }
        Enrollment e = enrollments.evaluate(machine);
        if (!e.isMatched()) {
            return false; // waits, visibly: the machine detail carries the explanation
        }
        boolean inspect = trigger == Step.INSPECT && e.autoInspect()
                && (state == MachineState.DISCOVERED
                || (state == MachineState.INSPECTED && inspectedBefore(machine, reinspectIfBefore)));
        if (inspect) {
            commands.send(new InspectMachine(id, e.requirements(), null), context);
            log.info("machine {}: inspected for {} ({}) ({})", id, e.matched(), e.assignment().nodeClass(), actor);
            return true;
        }
        if (state == MachineState.INSPECTED && e.autoCommission()) {
            enrollments.commission(id, Enrollments.Requested.NONE, null, context);
            log.info("machine {}: commissioned as {} by {} ({})", id, e.assignment().hostname(), e.matched(), actor);
            return true;
        }
        return false;
    }

    private static boolean inspectedBefore(MachineDetail machine, Instant instant) {
        Instant inspected = machine.inspection() == null ? null : machine.inspection().at();
        return inspected == null || inspected.isBefore(instant);
    }

    /** Installs automatically only what the matched node or rule says to, under the intent in force. */
    private boolean autoInstall(MachineDetail machine) {
        String matched = machine.assignment() == null ? null : machine.assignment().matchedRule();
        return enrollments.intent().map(i -> EnrollmentMatcher.autoInstall(i.state(), matched).automatic()).orElse(false);
    }
}
