package com.ultracloud.deployer.machine.command;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.deployment.*;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;
import com.ultracloud.deployer.machine.lifecycle.DeploymentCondition;
import com.ultracloud.deployer.machine.lifecycle.DeploymentLifecycle;
import com.ultracloud.deployer.machine.lifecycle.DeploymentTransition;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateRoot;
import org.axonframework.modelling.command.CreationPolicy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import static com.ultracloud.deployer.machine.api.deployment.DeploymentAction.*;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One host rollout (DESIGN §1): its spec, the machines it owns and their outcomes. Every command selects its
 * row of the {@link DeploymentLifecycle} table; state changes only in the event-sourcing handlers. The rollout
 * saga drives it; it never talks to machines itself.
 */
@AggregateRoot
class HostDeployment {

    @AggregateIdentifier
    private DeploymentId id;
    private DeploymentState state; // null until HostDeploymentCreated
    private long generation;
    private HostDeploymentSpec spec;
    private final List<MachineId> targets = new ArrayList<>();
    private final Set<MachineId> rolledOut = new LinkedHashSet<>();
    private final Set<MachineId> failed = new LinkedHashSet<>();
    private final Set<MachineId> superseded = new LinkedHashSet<>();

    HostDeployment() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    DeploymentState handle(CreateHostDeployment cmd) {
        if (state == null) {
            id = cmd.deploymentId(); // a new aggregate: Axon needs the id before the first apply
        }
        DeploymentTransition row = select(CREATE, Set.of());
        List<String> problems = new ArrayList<>(cmd.spec() == null ? List.of("a spec is required") : cmd.spec().problems());
        if (cmd.generation() < 1) {
            problems.add(0, "generation must be at least 1");
        }
        if (!problems.isEmpty()) {
            throw HostDeploymentException.invalid(cmd.deploymentId(), state, CREATE, String.join("; ", problems));
        }
        if (state != null && !cmd.spec().equals(spec)) {
            // the same spec again (a re-import, whatever generation it carries) is a no-op; another is not
            throw HostDeploymentException.conflict(id, state, CREATE, "deployment " + id + " exists (generation "
                    + generation + ") with another spec; a changed deployment needs a new id");
        }
        emit(row, type -> new HostDeploymentCreated(cmd.deploymentId(), cmd.generation(), cmd.spec(), row.to()));
        return state;
    }

    @CommandHandler
    DeploymentState handle(StartHostDeployment cmd) {
        List<MachineId> owned = cmd.targets().stream().distinct().filter(m -> !superseded.contains(m)).toList();
        DeploymentTransition row = select(START, EnumSet.of(owned.isEmpty()
                ? DeploymentCondition.NO_TARGETS : DeploymentCondition.TARGETS_FOUND));
        if (cmd.maxUnavailable() < 1) {
            throw HostDeploymentException.invalid(id, state, START, "max unavailable must resolve to at least 1");
        }
        emit(row, type -> type == HostDeploymentStarted.class
                ? new HostDeploymentStarted(id, owned, cmd.skipped(), cmd.maxUnavailable(), DeploymentState.IN_PROGRESS)
                : new HostDeploymentSucceeded(id, 0, 0, superseded.size(), row.to()));
        return state;
    }

    @CommandHandler
    DeploymentState handle(PauseHostDeployment cmd) {
        DeploymentTransition row = select(PAUSE, Set.of());
        emit(row, type -> new HostDeploymentPaused(id, cmd.reason(), row.to()));
        return state;
    }

    @CommandHandler
    DeploymentState handle(ResumeHostDeployment cmd) {
        DeploymentTransition row = select(RESUME, Set.of());
        emit(row, type -> new HostDeploymentResumed(id, row.to()));
        return state;
    }

    @CommandHandler
    DeploymentState handle(AbortHostDeployment cmd, @MetaDataValue("principal") String principal) {
        DeploymentTransition row = select(ABORT, Set.of());
        String by = principal == null || principal.isBlank() ? "unknown" : principal;
        emit(row, type -> new HostDeploymentAborted(id, cmd.reason(), by, row.to()));
        return state;
    }

    @CommandHandler
    DeploymentState handle(RecordMachineRolledOut cmd) {
        DeploymentTransition row = select(RECORD_ROLLED_OUT, outcomeConditions(cmd.machineId(), false));
        requireOwned(RECORD_ROLLED_OUT, cmd.machineId(), row);
        emit(row, type -> type == MachineRolledOut.class
                ? new MachineRolledOut(id, cmd.machineId(), cmd.runningSystem())
                : succeeded(row));
        return state;
    }

    @CommandHandler
    DeploymentState handle(RecordMachineRolloutFailed cmd) {
        DeploymentTransition row = select(RECORD_ROLLOUT_FAILED, outcomeConditions(cmd.machineId(), true));
        requireOwned(RECORD_ROLLOUT_FAILED, cmd.machineId(), row);
        int threshold = spec.failureThreshold();
        emit(row, type -> {
            if (type == MachineRolloutFailed.class) {
                return new MachineRolloutFailed(id, cmd.machineId(), cmd.reason(), failed.size() + 1, threshold);
            } else if (type == HostDeploymentFailed.class) {
                return new HostDeploymentFailed(id, failed.size(), threshold, remaining().size(), row.to());
            }
            return succeeded(row);
        });
        return state;
    }

    @CommandHandler
    DeploymentState handle(SupersedeHostDeployment cmd) {
        List<MachineId> covered = cmd.machines().stream().distinct()
                .filter(m -> state == DeploymentState.PENDING ? !superseded.contains(m) : remaining().contains(m))
                .toList();
        Set<DeploymentCondition> holding = EnumSet.noneOf(DeploymentCondition.class);
        if (covered.isEmpty()) {
            holding.add(DeploymentCondition.NOTHING_COVERED);
        } else {
            holding.add(remaining().stream().allMatch(covered::contains)
                    ? DeploymentCondition.LAST_MACHINE : DeploymentCondition.MACHINES_REMAIN);
        }
        DeploymentTransition row = select(SUPERSEDE, holding);
        if (cmd.supersededBy() == null || cmd.supersededBy().equals(id) || cmd.supersedingGeneration() <= generation) {
            throw HostDeploymentException.conflict(id, state, SUPERSEDE, "only a newer deployment supersedes this one "
                    + "(generation " + generation + "); " + cmd.supersededBy() + " has generation " + cmd.supersedingGeneration());
        }
        emit(row, type -> type == HostDeploymentSuperseded.class
                ? new HostDeploymentSuperseded(id, cmd.supersededBy(), covered)
                : succeeded(row));
        return state;
    }

    // ------------------------------------------------------------------ event sourcing

    // Axon calls the most specific handler only: those of state-changing events set the state themselves.

    @EventSourcingHandler
    void on(HostDeploymentCreated e) {
        id = e.deploymentId();
        generation = e.generation();
        spec = e.spec();
        state = e.state();
    }

    @EventSourcingHandler
    void on(HostDeploymentStarted e) {
        targets.addAll(e.targets());
        state = e.state();
    }

    @EventSourcingHandler
    void on(MachineRolledOut e) {
        rolledOut.add(e.machineId());
    }

    @EventSourcingHandler
    void on(MachineRolloutFailed e) {
        failed.add(e.machineId());
    }

    @EventSourcingHandler
    void on(HostDeploymentSuperseded e) {
        superseded.addAll(e.machines());
    }

    /** Paused, resumed, aborted, succeeded, failed: only the state changes. */
    @EventSourcingHandler
    void on(DeploymentStateChanged e) {
        state = e.state();
    }

    // ------------------------------------------------------------------ helpers

    DeploymentState state() {
        return state;
    }

    /** Targets with no outcome yet that a newer deployment has not taken. */
    List<MachineId> remaining() {
        return targets.stream().filter(m -> !rolledOut.contains(m) && !failed.contains(m) && !superseded.contains(m))
                .toList();
    }

    private Set<DeploymentCondition> outcomeConditions(MachineId machine, boolean failure) {
        if (rolledOut.contains(machine) || failed.contains(machine)) {
            return EnumSet.of(DeploymentCondition.ALREADY_RECORDED);
        }
        if (failure && spec != null && failed.size() + 1 >= spec.failureThreshold()) {
            return EnumSet.of(DeploymentCondition.THRESHOLD_REACHED);
        }
        boolean last = remaining().stream().allMatch(machine::equals);
        return EnumSet.of(last ? DeploymentCondition.LAST_MACHINE : DeploymentCondition.MACHINES_REMAIN);
    }

    /** An outcome is recorded only for a machine this deployment still owns (a row without events needs no owner). */
    private void requireOwned(DeploymentAction action, MachineId machine, DeploymentTransition row) {
        if (!row.events().isEmpty() && !remaining().contains(machine)) {
            throw HostDeploymentException.conflict(id, state, action, "machine " + machine + " is not one this deployment "
                    + "still rolls out" + (superseded.contains(machine) ? " (a newer deployment superseded it)" : ""));
        }
    }

    /** The completion event; counts as they will be once the row's first event is applied. */
    private HostDeploymentSucceeded succeeded(DeploymentTransition row) {
        return new HostDeploymentSucceeded(id, rolledOut.size(), failed.size(), superseded.size(), row.to());
    }

    private DeploymentTransition select(DeploymentAction action, Set<DeploymentCondition> holding) {
        try {
            return DeploymentLifecycle.select(state, action, holding);
        } catch (DeploymentLifecycle.Rejection r) {
            throw HostDeploymentException.illegalTransition(id, state, action, r.allowedFrom());
        }
    }

    /** Applies, in the row's order, one event of each type the row names; refuses any other. */
    private void emit(DeploymentTransition row, Function<Class<?>, Object> factory) {
        for (Class<?> type : row.events()) {
            Object event = factory.apply(type);
            if (event == null || event.getClass() != type) {
                throw new IllegalStateException("deployment row " + row + " expects " + type.getSimpleName()
                        + " but the aggregate made " + (event == null ? "nothing" : event.getClass().getSimpleName()));
            }
            apply(event);
        }
    }
}
