package com.ultracloud.deployer.machine.saga;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.command.DrainMachine;
import com.ultracloud.deployer.machine.api.command.SetDesiredSystem;
import com.ultracloud.deployer.machine.api.command.UndrainMachine;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentAborted;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentCreated;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentFailed;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentPaused;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentResumed;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentSpec;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentStarted;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentSucceeded;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentSuperseded;
import com.ultracloud.deployer.machine.api.deployment.MachineRolledOut;
import com.ultracloud.deployer.machine.api.deployment.MachineRolloutFailed;
import com.ultracloud.deployer.machine.api.deployment.RecordMachineRolledOut;
import com.ultracloud.deployer.machine.api.deployment.RecordMachineRolloutFailed;
import com.ultracloud.deployer.machine.api.deployment.SkippedMachine;
import com.ultracloud.deployer.machine.api.deployment.StartHostDeployment;
import com.ultracloud.deployer.machine.api.deployment.SupersedeHostDeployment;
import com.ultracloud.deployer.machine.api.event.ActivationReported;
import com.ultracloud.deployer.machine.api.event.DrainCompleted;
import com.ultracloud.deployer.machine.api.rollout.ActivationResult;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;
import com.ultracloud.deployer.machine.api.MachineState;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.ANY;
import static com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.NONE;

/**
 * One host deployment's rollout (DESIGN §1 "host rollout"), from {@code HostDeploymentCreated} to its end:
 * <ol>
 *   <li>resolves the machines through {@link RolloutTargets}: the covered machines that are ACTIVE and not
 *       unhealthy, less the ones an unfinished newer deployment claims; supersedes older unfinished deployments
 *       on the machines it takes; resolves max unavailable; sends {@link StartHostDeployment};</li>
 *   <li>starts batches of up to {@code batchSize} machines, one batch at a time, each within the budget
 *       {@code maxUnavailable - (covered machines DRAINING, FAILED or unhealthy, not in this batch)}; with no
 *       budget left it checks again after {@link #BUDGET_RECHECK} ({@value #BUDGET_DEADLINE});</li>
 *   <li>per machine (a target attribute with {@code {hostname}} is resolved to the machine's own): with drain-first, {@link DrainMachine} and a wait for DrainCompleted
 *       ({@value #DRAIN_DEADLINE}; when it fires the machine fails and is undrained, its system unchanged); then
 *       {@link SetDesiredSystem} and a wait of activation + confirm timeout for the agent's verdict
 *       ({@value #ACTIVATION_DEADLINE}); the agent's {@code started} restarts that wait from the start of the
 *       activation ({@value #CONFIRM_DEADLINE}); a deadline that fires fails the machine;</li>
 *   <li>{@code healthy} records the machine rolled out and undrains it if the rollout drained it;
 *       {@code failed}/{@code rolled-back} record a failure (the machine stays drained, for an operator);</li>
 *   <li>the aggregate decides the end: the last outcome succeeds it, the failure at the threshold fails it
 *       (the machines not reached are left untouched, in-flight ones as they are); pause stops new batches
 *       (in-flight machines finish), resume continues, abort ends it with every machine as it is; a newer
 *       deployment's supersede drops the machines it covers, queued or in flight.</li>
 * </ol>
 * When {@link RolloutTargets} cannot be read (it throws), the saga tries again after {@link #BUDGET_RECHECK}
 * ({@value #START_DEADLINE} at the start, {@value #BUDGET_DEADLINE} before a batch) instead of stalling.
 * Everything it knows is its own serialised state and its persisted deadlines, so a gateway restart
 * mid-rollout loses nothing. Reports about another deployment or generation, or stale ones, are ignored.
 */
@JsonAutoDetect(fieldVisibility = ANY, getterVisibility = NONE, isGetterVisibility = NONE)
public class RolloutSaga {

    private static final Logger log = LoggerFactory.getLogger(RolloutSaga.class);

    /** Association key: the deployment's id, a property of every HostDeployment event. */
    public static final String DEPLOYMENT_ID = "deploymentId";
    /** Association key: a machine in flight (drained or activating), a property of every machine event. */
    public static final String MACHINE_ID = "machineId";
    /** Deadline: the drain of a drain-first machine did not complete. */
    public static final String DRAIN_DEADLINE = "rollout-drain-timeout";
    /** Deadline: no verdict (or {@code started}) from the agent within activation + confirm timeout of setting the system. */
    public static final String ACTIVATION_DEADLINE = "rollout-activation-timeout";
    /** Deadline: no verdict within activation + confirm timeout of the agent's {@code started}. */
    public static final String CONFIRM_DEADLINE = "rollout-confirm-timeout";
    /** Deadline: the machines could not be resolved at the start (the inventory could not be read); try again. */
    public static final String START_DEADLINE = "rollout-start-retry";
    /** Deadline: the max-unavailable budget was used up (or the inventory could not be read); look again. */
    public static final String BUDGET_DEADLINE = "rollout-budget-recheck";
    /** How long the rollout waits before looking at the budget again. */
    public static final Duration BUDGET_RECHECK = Duration.ofMinutes(1);

    /** Where a machine of the current batch stands. */
    enum Phase { DRAINING, ACTIVATING, CONFIRMING, RECORDING }

    /** One machine of the current batch. */
    record InFlight(MachineId machineId, String hostname, Phase phase, boolean drainedByRollout, String deadlineName,
                    String deadlineId) {
        InFlight next(Phase phase, String deadlineName, String deadlineId) {
            return new InFlight(machineId, hostname, phase, drainedByRollout, deadlineName, deadlineId);
        }
    }

    private DeploymentId deploymentId;
    private long generation;
    private HostDeploymentSpec spec;
    private int maxUnavailable;
    private List<MachineId> queue = new ArrayList<>();
    private Map<String, InFlight> inFlight = new LinkedHashMap<>();
    private boolean paused;
    private boolean stopping; // the failure threshold is reached: the end follows, nothing new starts
    private int batches;
    private Set<String> undrained = new HashSet<>(); // rolled out and undrained by this rollout
    private String budgetDeadlineId;

    // ------------------------------------------------------------------ start

    @StartSaga
    @SagaEventHandler(associationProperty = DEPLOYMENT_ID)
    void on(HostDeploymentCreated event, CommandGateway commands, DeadlineManager deadlines, RolloutTargets targets) {
        deploymentId = event.deploymentId();
        generation = event.generation();
        spec = event.spec();
        resolveAndStart(commands, deadlines, targets);
    }

    @DeadlineHandler(deadlineName = START_DEADLINE)
    void startRetry(RolloutDeadline deadline, CommandGateway commands, DeadlineManager deadlines, RolloutTargets targets) {
        resolveAndStart(commands, deadlines, targets);
    }

    /** Resolves the machines and starts the deployment; when the inventory cannot be read, tries again later. */
    private void resolveAndStart(CommandGateway commands, DeadlineManager deadlines, RolloutTargets targets) {
        List<RolloutTargets.CoveredMachine> covered;
        List<RolloutTargets.Claim> claims;
        List<MachineId> eligible = new ArrayList<>();
        List<SkippedMachine> skipped = new ArrayList<>();
        try {
            covered = targets.covered(spec.selector());
            for (RolloutTargets.CoveredMachine m : covered) {
                if (m.eligible()) {
                    eligible.add(m.machineId());
                } else {
                    skipped.add(new SkippedMachine(m.machineId(), m.state() != MachineState.ACTIVE
                            ? "is " + m.state() + ", not ACTIVE" : "is unhealthy"));
                }
            }
            claims = targets.unfinishedClaims(deploymentId, eligible);
        } catch (RuntimeException e) {
            log.warn("rollout {}: the machines cannot be resolved now, trying again in {}", deploymentId, BUDGET_RECHECK, e);
            deadlines.schedule(BUDGET_RECHECK, START_DEADLINE, new RolloutDeadline(deploymentId, null));
            return;
        }
        Set<MachineId> claimedByNewer = new HashSet<>();
        for (RolloutTargets.Claim claim : claims) {
            if (claim.generation() < generation) {
                commands.send(new SupersedeHostDeployment(claim.deploymentId(), deploymentId, generation, claim.machines()));
            } else {
                for (MachineId m : claim.machines()) {
                    if (claimedByNewer.add(m)) {
                        skipped.add(new SkippedMachine(m, "deployment " + claim.deploymentId() + " (generation "
                                + claim.generation() + ") is newer and covers it"));
                    }
                }
            }
        }
        eligible.removeAll(claimedByNewer);
        long inService = covered.stream().filter(m -> EnumSet.of(MachineState.ACTIVE, MachineState.DRAINING,
                MachineState.FAILED).contains(m.state())).count();
        commands.send(new StartHostDeployment(deploymentId, eligible, skipped,
                spec.maxUnavailable().resolve((int) inService)));
    }

    @SagaEventHandler(associationProperty = DEPLOYMENT_ID)
    void on(HostDeploymentStarted event, CommandGateway commands, DeadlineManager deadlines, RolloutTargets targets) {
        queue = new ArrayList<>(event.targets());
        maxUnavailable = event.maxUnavailable();
        nextBatch(commands, deadlines, targets);
    }

    // ------------------------------------------------------------------ one machine

    @SagaEventHandler(associationProperty = MACHINE_ID)
    void on(DrainCompleted event, CommandGateway commands, DeadlineManager deadlines) {
        InFlight m = inFlight.get(event.machineId().toString());
        if (m != null && m.phase() == Phase.DRAINING) {
            cancel(deadlines, m);
            activate(commands, deadlines, m.machineId(), m.hostname(), true);
        }
    }

    @SagaEventHandler(associationProperty = MACHINE_ID)
    void on(ActivationReported event, CommandGateway commands, DeadlineManager deadlines) {
        InFlight m = inFlight.get(event.machineId().toString());
        boolean ours = event.current() && deploymentId.equals(event.deploymentId()) && event.generation() == generation;
        if (m == null || !ours || (m.phase() != Phase.ACTIVATING && m.phase() != Phase.CONFIRMING)) {
            return; // another deployment's, a stale one, or after the verdict
        }
        if (event.result() == ActivationResult.STARTED) {
            if (m.phase() == Phase.ACTIVATING) {
                cancel(deadlines, m);
                String id = deadlines.schedule(spec.activation().verdictWithin(), CONFIRM_DEADLINE,
                        new RolloutDeadline(deploymentId, m.machineId()));
                put(m.next(Phase.CONFIRMING, CONFIRM_DEADLINE, id));
            }
            return;
        }
        cancel(deadlines, m);
        put(m.next(Phase.RECORDING, null, null));
        if (event.result() == ActivationResult.HEALTHY) {
            commands.send(new RecordMachineRolledOut(deploymentId, m.machineId(), event.runningSystem()));
            if (m.drainedByRollout()) {
                undrained.add(m.machineId().toString());
                commands.send(new UndrainMachine(m.machineId(), null));
            }
        } else {
            String message = event.message() == null || event.message().isBlank() ? "" : ": " + event.message();
            commands.send(new RecordMachineRolloutFailed(deploymentId, m.machineId(),
                    "the agent reported " + event.result().wireName() + message));
        }
    }

    @DeadlineHandler(deadlineName = DRAIN_DEADLINE)
    void drainTimedOut(RolloutDeadline deadline, CommandGateway commands) {
        InFlight m = inFlight.get(deadline.machineId().toString());
        if (m == null || m.phase() != Phase.DRAINING) {
            return;
        }
        put(m.next(Phase.RECORDING, null, null));
        commands.send(new RecordMachineRolloutFailed(deploymentId, m.machineId(),
                "the drain did not complete within " + spec.drain().timeoutSeconds() + " s"));
        commands.send(new UndrainMachine(m.machineId(), null)); // its system is unchanged: back in service
    }

    @DeadlineHandler(deadlineName = ACTIVATION_DEADLINE)
    void activationTimedOut(RolloutDeadline deadline, CommandGateway commands) {
        verdictTimedOut(deadline, commands, Phase.ACTIVATING, "of setting the desired system");
    }

    @DeadlineHandler(deadlineName = CONFIRM_DEADLINE)
    void confirmTimedOut(RolloutDeadline deadline, CommandGateway commands) {
        verdictTimedOut(deadline, commands, Phase.CONFIRMING, "of the agent starting the activation");
    }

    private void verdictTimedOut(RolloutDeadline deadline, CommandGateway commands, Phase phase, String since) {
        InFlight m = inFlight.get(deadline.machineId().toString());
        if (m == null || m.phase() != phase) {
            return;
        }
        put(m.next(Phase.RECORDING, null, null));
        commands.send(new RecordMachineRolloutFailed(deploymentId, m.machineId(), "no healthy report within "
                + spec.activation().verdictWithin().toSeconds() + " s (activation " + spec.activation().activationTimeoutSeconds()
                + " s + confirm " + spec.activation().confirmTimeoutSeconds() + " s) " + since));
    }

    // ------------------------------------------------------------------ the deployment

    @SagaEventHandler(associationProperty = DEPLOYMENT_ID)
    void on(MachineRolledOut event, CommandGateway commands, DeadlineManager deadlines, RolloutTargets targets) {
        done(deadlines, event.machineId());
        nextBatch(commands, deadlines, targets);
    }

    @SagaEventHandler(associationProperty = DEPLOYMENT_ID)
    void on(MachineRolloutFailed event, CommandGateway commands, DeadlineManager deadlines, RolloutTargets targets) {
        done(deadlines, event.machineId());
        if (event.failures() >= event.failureThreshold()) {
            stopping = true; // HostDeploymentFailed follows; the machines not reached stay untouched
            return;
        }
        nextBatch(commands, deadlines, targets);
    }

    @SagaEventHandler(associationProperty = DEPLOYMENT_ID)
    void on(HostDeploymentPaused event, DeadlineManager deadlines) {
        paused = true;
        cancelBudgetRecheck(deadlines);
    }

    @SagaEventHandler(associationProperty = DEPLOYMENT_ID)
    void on(HostDeploymentResumed event, CommandGateway commands, DeadlineManager deadlines, RolloutTargets targets) {
        paused = false;
        nextBatch(commands, deadlines, targets);
    }

    @SagaEventHandler(associationProperty = DEPLOYMENT_ID)
    void on(HostDeploymentSuperseded event, CommandGateway commands, DeadlineManager deadlines, RolloutTargets targets) {
        queue.removeAll(event.machines());
        for (MachineId machine : event.machines()) {
            done(deadlines, machine);
        }
        nextBatch(commands, deadlines, targets);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = DEPLOYMENT_ID)
    void on(HostDeploymentSucceeded event, DeadlineManager deadlines) {
        finish(deadlines);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = DEPLOYMENT_ID)
    void on(HostDeploymentFailed event, DeadlineManager deadlines) {
        finish(deadlines);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = DEPLOYMENT_ID)
    void on(HostDeploymentAborted event, DeadlineManager deadlines) {
        finish(deadlines);
    }

    @DeadlineHandler(deadlineName = BUDGET_DEADLINE)
    void budgetRecheck(RolloutDeadline deadline, CommandGateway commands, DeadlineManager deadlines,
                       RolloutTargets targets) {
        budgetDeadlineId = null;
        nextBatch(commands, deadlines, targets);
    }

    // ------------------------------------------------------------------ steps

    /**
     * Starts the next batch when nothing is in flight, the rollout is neither paused nor stopping, and machines
     * are queued: as many as the batch size and the max-unavailable budget allow. A queued machine that is no
     * longer ACTIVE (or became unhealthy) when its batch comes is recorded as failed and left as it is.
     */
    private void nextBatch(CommandGateway commands, DeadlineManager deadlines, RolloutTargets targets) {
        if (paused || stopping || !inFlight.isEmpty() || queue.isEmpty() || budgetDeadlineId != null) {
            return;
        }
        Map<MachineId, RolloutTargets.CoveredMachine> now;
        try {
            now = targets.covered(spec.selector()).stream().collect(Collectors.toMap(
                    RolloutTargets.CoveredMachine::machineId, m -> m, (a, b) -> a, LinkedHashMap::new));
        } catch (RuntimeException e) {
            log.warn("rollout {}: the inventory cannot be read now, looking again in {}", deploymentId, BUDGET_RECHECK, e);
            budgetDeadlineId = deadlines.schedule(BUDGET_RECHECK, BUDGET_DEADLINE, new RolloutDeadline(deploymentId, null));
            return;
        }
        // a machine this rollout undrained may still read DRAINING in a read model that lags: not counted then
        long unavailable = now.values().stream().filter(RolloutTargets.CoveredMachine::unavailable)
                .filter(m -> !(m.state() == MachineState.DRAINING && m.health() != RolloutTargets.Health.UNHEALTHY
                        && undrained.contains(m.machineId().toString())))
                .count();
        int budget = (int) Math.max(0, maxUnavailable - unavailable);
        if (budget == 0) {
            budgetDeadlineId = deadlines.schedule(BUDGET_RECHECK, BUDGET_DEADLINE, new RolloutDeadline(deploymentId, null));
            return;
        }
        int size = Math.min(spec.batchSize(), budget);
        batches++;
        List<MachineId> batch = new ArrayList<>();
        while (batch.size() < size && !queue.isEmpty()) {
            batch.add(queue.remove(0));
        }
        for (MachineId machine : batch) {
            RolloutTargets.CoveredMachine known = now.get(machine);
            SagaLifecycle.associateWith(MACHINE_ID, machine.toString());
            String hostname = known == null ? null : known.hostname();
            if (known == null || !known.eligible()) {
                put(new InFlight(machine, hostname, Phase.RECORDING, false, null, null));
                commands.send(new RecordMachineRolloutFailed(deploymentId, machine, "when batch " + batches
                        + " started it " + (known == null ? "was no longer covered by the selector"
                        : known.state() != MachineState.ACTIVE ? "was " + known.state() + ", not ACTIVE" : "was unhealthy")
                        + "; left as it is"));
            } else if (spec.system().perHost() && (hostname == null || hostname.isBlank())) {
                put(new InFlight(machine, hostname, Phase.RECORDING, false, null, null));
                commands.send(new RecordMachineRolloutFailed(deploymentId, machine, "it has no hostname for the target "
                        + spec.system().describe() + "; left as it is"));
            } else if (spec.drain().drainsFirst()) {
                String id = deadlines.schedule(spec.drain().timeout(), DRAIN_DEADLINE, new RolloutDeadline(deploymentId, machine));
                put(new InFlight(machine, hostname, Phase.DRAINING, true, DRAIN_DEADLINE, id));
                commands.send(new DrainMachine(machine, null));
            } else {
                activate(commands, deadlines, machine, hostname, false);
            }
        }
    }

    /** Sets the machine's desired system (its own, when the target is per host) and waits for the verdict. */
    private void activate(CommandGateway commands, DeadlineManager deadlines, MachineId machine, String hostname,
                          boolean drained) {
        String id = deadlines.schedule(spec.activation().verdictWithin(), ACTIVATION_DEADLINE,
                new RolloutDeadline(deploymentId, machine));
        put(new InFlight(machine, hostname, Phase.ACTIVATING, drained, ACTIVATION_DEADLINE, id));
        commands.send(new SetDesiredSystem(machine, deploymentId, generation, spec.system().forHost(hostname),
                spec.activation()));
    }

    /** The machine is no longer this rollout's concern: its deadline is cancelled, its events no longer come here. */
    private void done(DeadlineManager deadlines, MachineId machine) {
        InFlight m = inFlight.remove(machine.toString());
        if (m != null) {
            cancel(deadlines, m);
            SagaLifecycle.removeAssociationWith(MACHINE_ID, machine.toString());
        }
    }

    private void put(InFlight m) {
        inFlight.put(m.machineId().toString(), m);
    }

    private static void cancel(DeadlineManager deadlines, InFlight m) {
        if (m.deadlineId() != null) {
            deadlines.cancelSchedule(m.deadlineName(), m.deadlineId());
        }
    }

    private void cancelBudgetRecheck(DeadlineManager deadlines) {
        if (budgetDeadlineId != null) {
            deadlines.cancelSchedule(BUDGET_DEADLINE, budgetDeadlineId);
            budgetDeadlineId = null;
        }
    }

    private void finish(DeadlineManager deadlines) {
        inFlight.values().forEach(m -> cancel(deadlines, m));
        inFlight.clear();
        queue.clear();
        cancelBudgetRecheck(deadlines);
    }
}
