package com.ultracloud.deployer.machine.saga;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.command.DrainMachine;
import com.ultracloud.deployer.machine.api.command.SetDesiredSystem;
import com.ultracloud.deployer.machine.api.command.UndrainMachine;
import com.ultracloud.deployer.machine.api.deployment.*;
import com.ultracloud.deployer.machine.api.event.ActivationReported;
import com.ultracloud.deployer.machine.api.event.DrainCompleted;
import com.ultracloud.deployer.machine.api.rollout.ActivationResult;
import com.ultracloud.deployer.machine.api.rollout.ActivationSettings;
import com.ultracloud.deployer.machine.api.rollout.ActivationStrategy;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;
import com.ultracloud.deployer.machine.api.rollout.HealthCheck;
import com.ultracloud.deployer.machine.api.rollout.RollbackPolicy;
import com.ultracloud.deployer.machine.api.rollout.TargetSystem;
import com.ultracloud.deployer.machine.saga.RolloutTargets.Health;
import org.axonframework.test.saga.FixtureExecutionResult;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.ultracloud.deployer.machine.api.MachineState.*;
import static com.ultracloud.deployer.machine.api.deployment.DeploymentState.*;

/**
 * The rollout saga with Axon's SagaTestFixture, over five ACTIVE web machines (W1..W5) of pool "web":
 * batching under max unavailable, drain-first, the threshold stop, the activation and confirm deadlines,
 * pause/resume/abort and supersede. Assertions name the commands dispatched and the deadlines scheduled.
 */
class RolloutSagaTest {

    static final DeploymentId D = DeploymentId.of("web-2025-06");
    static final String AGG = D.toString();
    static final long GEN = 5;
    static final MachineId W1 = id(1), W2 = id(2), W3 = id(3), W4 = id(4), W5 = id(5), W6 = id(6), W7 = id(7);
    static final List<MachineId> FIVE = List.of(W1, W2, W3, W4, W5);
    static final TargetSystem SYSTEM = TargetSystem.storePath("/nix/store/0f3k9a1m2q8x7c6v5b4n3z2l1p0o9i8u-nixos-system-web-25.05.1");
    static final String RUNNING = SYSTEM.storePath();
    static final ActivationSettings ACTIVATION = new ActivationSettings(ActivationStrategy.SWITCH, 300, 120,
            HealthCheck.http("http://127.0.0.1:9100/healthz"), RollbackPolicy.AUTOMATIC);
    /** Activation 300 s + confirm 120 s. */
    static final Duration VERDICT = Duration.ofSeconds(420);
    static final Duration DRAIN = Duration.ofSeconds(600);

    static MachineId id(int n) {
        return MachineId.ofFingerprint("smbios:web-" + n);
    }

    static HostDeploymentSpec spec(DrainPolicy drain, MaxUnavailable maxUnavailable, int threshold) {
        return new HostDeploymentSpec(MachineSelector.pool("web"), SYSTEM, 2, maxUnavailable, drain, ACTIVATION, threshold);
    }

    static final HostDeploymentSpec IN_PLACE = spec(DrainPolicy.NONE, MaxUnavailable.count(2), 2);
    static final HostDeploymentSpec DRAIN_FIRST = spec(DrainPolicy.drainFirst(600), MaxUnavailable.count(2), 2);

    SagaTestFixture<RolloutSaga> fixture;
    InMemoryRolloutTargets targets;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(RolloutSaga.class);
        targets = new InMemoryRolloutTargets();
        for (int n = 1; n <= 5; n++) {
            web(n, ACTIVE, Health.HEALTHY);
        }
        fixture.registerResource(targets);
    }

    /** Machine {@code n} of pool web, hostname {@code web-n}. */
    void web(int n, MachineState state, Health health) {
        targets.put(new InMemoryRolloutTargets.Known(id(n), "web-" + n, "web", "web", Map.of("tier", "web"), state, health));
    }

    static HostDeploymentCreated created(HostDeploymentSpec spec) {
        return new HostDeploymentCreated(D, GEN, spec, PENDING);
    }

    static HostDeploymentStarted started(List<MachineId> machines, int maxUnavailable) {
        return new HostDeploymentStarted(D, machines, List.of(), maxUnavailable, IN_PROGRESS);
    }

    static SetDesiredSystem desired(MachineId m) {
        return new SetDesiredSystem(m, D, GEN, SYSTEM, ACTIVATION);
    }

    static ActivationReported report(MachineId m, ActivationResult result) {
        return new ActivationReported(m, D, GEN, result, result == ActivationResult.HEALTHY ? RUNNING : "/nix/store/old",
                result == ActivationResult.ROLLED_BACK ? "healthz answered 503" : null, true);
    }

    static MachineRolloutFailed failedOutcome(MachineId m, int failures) {
        return new MachineRolloutFailed(D, m, "the agent reported rolled-back", failures, 2);
    }

    /** Created and started over the five machines, in place, max unavailable 2: W1 and W2 are in flight. */
    org.axonframework.test.saga.ContinuedGivenState inFlight(HostDeploymentSpec spec) {
        return fixture.givenAggregate(AGG).published(created(spec), started(FIVE, 2));
    }

    // ------------------------------------------------------------------ start

    @Test
    void creationResolvesTheEligibleMachinesAndStartsTheDeployment() throws Exception {
        web(6, DRAINING, Health.HEALTHY);
        web(7, ACTIVE, Health.UNHEALTHY);
        fixture.givenNoPriorActivity()
                .whenAggregate(AGG).publishes(created(IN_PLACE))
                .expectActiveSagas(1)
                .expectAssociationWith(RolloutSaga.DEPLOYMENT_ID, AGG)
                .expectDispatchedCommands(new StartHostDeployment(D, FIVE, List.of(
                        new SkippedMachine(W6, "is DRAINING, not ACTIVE"), new SkippedMachine(W7, "is unhealthy")), 2))
                .expectNoScheduledDeadlines();
    }

    @Test
    void aPercentMaxUnavailableIsResolvedOverTheMachinesInService() throws Exception {
        web(6, DRAINING, Health.HEALTHY);
        web(7, MachineState.FAILED, Health.UNKNOWN);
        web(8, COMMISSIONED, Health.UNKNOWN); // not in service: not counted
        fixture.givenNoPriorActivity()
                .whenAggregate(AGG).publishes(created(spec(DrainPolicy.NONE, MaxUnavailable.percent(30), 2)))
                .expectDispatchedCommands(new StartHostDeployment(D, FIVE, List.of(
                        new SkippedMachine(W6, "is DRAINING, not ACTIVE"), new SkippedMachine(W7, "is FAILED, not ACTIVE"),
                        new SkippedMachine(id(8), "is COMMISSIONED, not ACTIVE")), 2)); // 30 % of 7, rounded down
    }

    @Test
    void whenTheInventoryCannotBeReadTheStartIsTriedAgainLater() throws Exception {
        targets.outage = new IllegalStateException("inventory read model unavailable");
        var given = fixture.givenAggregate(AGG).published(created(IN_PLACE));
        targets.outage = null;
        given.whenTimeElapses(RolloutSaga.BUDGET_RECHECK)
                .expectTriggeredDeadlinesWithName(RolloutSaga.START_DEADLINE)
                .expectDispatchedCommands(new StartHostDeployment(D, FIVE, List.of(), 2));
    }

    @Test
    void theStartRetryIsScheduledWhenTheInventoryCannotBeRead() {
        targets.outage = new IllegalStateException("inventory read model unavailable");
        fixture.givenNoPriorActivity()
                .whenAggregate(AGG).publishes(created(IN_PLACE))
                .expectNoDispatchedCommands()
                .expectScheduledDeadlineWithName(RolloutSaga.BUDGET_RECHECK, RolloutSaga.START_DEADLINE);
    }

    @Test
    void whenTheInventoryCannotBeReadBeforeABatchItIsReadAgainLater() {
        var given = fixture.givenAggregate(AGG).published(created(IN_PLACE));
        targets.outage = new IllegalStateException("inventory read model unavailable");
        given.whenAggregate(AGG).publishes(started(FIVE, 2))
                .expectNoDispatchedCommands()
                .expectScheduledDeadlineWithName(RolloutSaga.BUDGET_RECHECK, RolloutSaga.BUDGET_DEADLINE);
    }

    // ------------------------------------------------------------------ batching under max unavailable

    @Test
    void theFirstBatchSetsTheDesiredSystemOfBatchSizeMachinesAndWaitsForTheirVerdict() throws Exception {
        fixture.givenAggregate(AGG).published(created(IN_PLACE))
                .whenAggregate(AGG).publishes(started(FIVE, 2))
                .expectDispatchedCommands(desired(W1), desired(W2))
                .expectScheduledDeadlineWithName(VERDICT, RolloutSaga.ACTIVATION_DEADLINE)
                .expectAssociationWith(RolloutSaga.MACHINE_ID, W1.toString())
                .expectAssociationWith(RolloutSaga.MACHINE_ID, W2.toString())
                .expectNoAssociationWith(RolloutSaga.MACHINE_ID, W3.toString());
    }

    @Test
    void machinesAlreadyDrainingCountAgainstMaxUnavailable() throws Exception {
        web(6, DRAINING, Health.HEALTHY);
        fixture.givenAggregate(AGG).published(created(IN_PLACE))
                .whenAggregate(AGG).publishes(started(FIVE, 2))
                .expectDispatchedCommands(desired(W1)); // 2 - 1 draining = 1
    }

    @Test
    void unhealthyAndFailedMachinesCountAgainstMaxUnavailable() throws Exception {
        web(6, MachineState.FAILED, Health.UNKNOWN);
        web(7, ACTIVE, Health.UNHEALTHY);
        fixture.givenAggregate(AGG).published(created(spec(DrainPolicy.NONE, MaxUnavailable.count(3), 2)))
                .whenAggregate(AGG).publishes(started(FIVE, 3))
                .expectDispatchedCommands(desired(W1)); // 3 - 2 = 1, though the batch size is 2
    }

    @Test
    void withNoBudgetLeftTheRolloutWaitsAndLooksAgain() throws Exception {
        web(6, DRAINING, Health.HEALTHY);
        web(7, MachineState.FAILED, Health.UNKNOWN);
        fixture.givenAggregate(AGG).published(created(IN_PLACE))
                .whenAggregate(AGG).publishes(started(FIVE, 2))
                .expectNoDispatchedCommands()
                .expectScheduledDeadlineWithName(RolloutSaga.BUDGET_RECHECK, RolloutSaga.BUDGET_DEADLINE);
    }

    @Test
    void theBudgetRecheckStartsTheBatchOnceAMachineIsBack() throws Exception {
        web(6, DRAINING, Health.HEALTHY);
        web(7, MachineState.FAILED, Health.UNKNOWN);
        var given = fixture.givenAggregate(AGG).published(created(IN_PLACE), started(FIVE, 2));
        targets.set(W6, ACTIVE, Health.HEALTHY); // the operator undrained it
        given.whenTimeElapses(RolloutSaga.BUDGET_RECHECK)
                .expectTriggeredDeadlinesWithName(RolloutSaga.BUDGET_DEADLINE)
                .expectDispatchedCommands(desired(W1));
    }

    @Test
    void theNextBatchStartsOnlyWhenTheWholeBatchIsDone() throws Exception {
        inFlight(IN_PLACE)
                .andThenAggregate(AGG).published(new MachineRolledOut(D, W1, RUNNING))
                .whenAggregate(AGG).publishes(new MachineRolledOut(D, W2, RUNNING))
                .expectDispatchedCommands(desired(W3), desired(W4))
                .expectNoAssociationWith(RolloutSaga.MACHINE_ID, W1.toString())
                .expectAssociationWith(RolloutSaga.MACHINE_ID, W3.toString());
    }

    @Test
    void halfABatchDoneStartsNothing() throws Exception {
        inFlight(IN_PLACE)
                .whenAggregate(AGG).publishes(new MachineRolledOut(D, W1, RUNNING))
                .expectNoDispatchedCommands();
    }

    @Test
    void aHealthyReportRecordsTheMachineRolledOut() throws Exception {
        inFlight(IN_PLACE)
                .whenAggregate(W1.toString()).publishes(report(W1, ActivationResult.HEALTHY))
                .expectDispatchedCommands(new RecordMachineRolledOut(D, W1, RUNNING));
    }

    @Test
    void aRolledBackReportRecordsAFailure() throws Exception {
        inFlight(IN_PLACE)
                .whenAggregate(W1.toString()).publishes(report(W1, ActivationResult.ROLLED_BACK))
                .expectDispatchedCommands(new RecordMachineRolloutFailed(D, W1,
                        "the agent reported rolled-back: healthz answered 503"));
    }

    @Test
    void reportsAboutAnotherDeploymentOrStaleOnesAreIgnored() throws Exception {
        inFlight(IN_PLACE)
                .andThenAggregate(W1.toString()).published(
                        new ActivationReported(W1, DeploymentId.of("web-2025-05"), GEN - 1, ActivationResult.HEALTHY, RUNNING, null, false),
                        new ActivationReported(W1, D, GEN, ActivationResult.HEALTHY, RUNNING, null, false))
                .whenAggregate(W1.toString()).publishes(
                        new ActivationReported(W1, D, GEN - 1, ActivationResult.FAILED, RUNNING, null, true))
                .expectNoDispatchedCommands()
                .expectAssociationWith(RolloutSaga.MACHINE_ID, W1.toString());
    }

    @Test
    void aQueuedMachineThatLeftActiveIsRecordedAsFailedAndLeftAlone() throws Exception {
        var given = inFlight(IN_PLACE).andThenAggregate(AGG).published(new MachineRolledOut(D, W1, RUNNING));
        targets.set(W3, RESCUE, Health.UNKNOWN);
        // W3 in RESCUE is not DRAINING, FAILED or unhealthy: the budget is still 2
        given.whenAggregate(AGG).publishes(new MachineRolledOut(D, W2, RUNNING))
                .expectDispatchedCommands(new RecordMachineRolloutFailed(D, W3,
                        "when batch 2 started it was RESCUE, not ACTIVE; left as it is"), desired(W4));
    }

    @Test
    void aPerHostTargetIsResolvedToEachMachinesOwnConfiguration() throws Exception {
        TargetSystem perHost = TargetSystem.flake("git+https://git.lab.example/fleet?rev=4f2a", "nixosConfigurations.{hostname}");
        HostDeploymentSpec spec = new HostDeploymentSpec(MachineSelector.pool("web"), perHost, 2, MaxUnavailable.count(2),
                DrainPolicy.NONE, ACTIVATION, 2);
        fixture.givenAggregate(AGG).published(new HostDeploymentCreated(D, GEN, spec, PENDING))
                .whenAggregate(AGG).publishes(started(FIVE, 2))
                .expectDispatchedCommands(
                        new SetDesiredSystem(W1, D, GEN, TargetSystem.flake(perHost.flake(), "nixosConfigurations.web-1"), ACTIVATION),
                        new SetDesiredSystem(W2, D, GEN, TargetSystem.flake(perHost.flake(), "nixosConfigurations.web-2"), ACTIVATION));
    }

    @Test
    void aMachineWithoutAHostnameFailsAPerHostTarget() throws Exception {
        TargetSystem perHost = TargetSystem.flake("git+https://git.lab.example/fleet", "nixosConfigurations.{hostname}");
        HostDeploymentSpec spec = new HostDeploymentSpec(MachineSelector.pool("web"), perHost, 1, MaxUnavailable.count(1),
                DrainPolicy.drainFirst(600), ACTIVATION, 2);
        targets.put(new InMemoryRolloutTargets.Known(W1, null, "web", "web", Map.of(), ACTIVE, Health.HEALTHY));
        fixture.givenAggregate(AGG).published(new HostDeploymentCreated(D, GEN, spec, PENDING))
                .whenAggregate(AGG).publishes(started(FIVE, 1))
                .expectDispatchedCommands(new RecordMachineRolloutFailed(D, W1,
                        "it has no hostname for the target git+https://git.lab.example/fleet#nixosConfigurations.{hostname}; left as it is"));
    }

    // ------------------------------------------------------------------ drain first

    @Test
    void drainFirstDrainsTheBatchAndWaitsForTheDrains() throws Exception {
        fixture.givenAggregate(AGG).published(created(DRAIN_FIRST))
                .whenAggregate(AGG).publishes(started(FIVE, 2))
                .expectDispatchedCommands(new DrainMachine(W1, null), new DrainMachine(W2, null))
                .expectScheduledDeadlineWithName(DRAIN, RolloutSaga.DRAIN_DEADLINE)
                .expectNoScheduledDeadlineWithName(VERDICT, RolloutSaga.ACTIVATION_DEADLINE);
    }

    @Test
    void aCompletedDrainSetsTheDesiredSystem() throws Exception {
        inFlight(DRAIN_FIRST)
                .andThenTimeElapses(Duration.ofSeconds(100))
                .whenAggregate(W1.toString()).publishes(new DrainCompleted(W1, DRAINING))
                .expectDispatchedCommands(desired(W1))
                .expectScheduledDeadlineWithName(VERDICT, RolloutSaga.ACTIVATION_DEADLINE)
                .expectScheduledDeadlineWithName(Duration.ofSeconds(500), RolloutSaga.DRAIN_DEADLINE); // W2's, still
    }

    @Test
    void aHealthyDrainedMachineIsUndrained() throws Exception {
        inFlight(DRAIN_FIRST)
                .andThenAggregate(W1.toString()).published(new DrainCompleted(W1, DRAINING))
                .whenAggregate(W1.toString()).publishes(report(W1, ActivationResult.HEALTHY))
                .expectDispatchedCommands(new RecordMachineRolledOut(D, W1, RUNNING), new UndrainMachine(W1, null));
    }

    @Test
    void aFailedDrainedMachineStaysDrained() throws Exception {
        inFlight(DRAIN_FIRST)
                .andThenAggregate(W1.toString()).published(new DrainCompleted(W1, DRAINING))
                .whenAggregate(W1.toString()).publishes(report(W1, ActivationResult.FAILED))
                .expectDispatchedCommands(new RecordMachineRolloutFailed(D, W1, "the agent reported failed"));
    }

    @Test
    void aDrainThatDoesNotCompleteInTimeFailsTheMachineAndUndrainsIt() throws Exception {
        inFlight(DRAIN_FIRST)
                .andThenAggregate(W2.toString()).published(new DrainCompleted(W2, DRAINING), report(W2, ActivationResult.HEALTHY))
                .whenTimeElapses(DRAIN)
                .expectTriggeredDeadlinesWithName(RolloutSaga.DRAIN_DEADLINE)
                .expectDispatchedCommands(new RecordMachineRolloutFailed(D, W1, "the drain did not complete within 600 s"),
                        new UndrainMachine(W1, null));
    }

    @Test
    void aMachineThisRolloutUndrainedDoesNotCountWhileTheReadModelStillShowsItDraining() throws Exception {
        var given = inFlight(DRAIN_FIRST)
                .andThenAggregate(W1.toString()).published(new DrainCompleted(W1, DRAINING), report(W1, ActivationResult.HEALTHY))
                .andThenAggregate(W2.toString()).published(new DrainCompleted(W2, DRAINING), report(W2, ActivationResult.HEALTHY))
                .andThenAggregate(AGG).published(new MachineRolledOut(D, W1, RUNNING));
        targets.set(W1, DRAINING, Health.HEALTHY); // the undrain is not in the read model yet
        targets.set(W2, DRAINING, Health.HEALTHY);
        given.whenAggregate(AGG).publishes(new MachineRolledOut(D, W2, RUNNING))
                .expectDispatchedCommands(new DrainMachine(W3, null), new DrainMachine(W4, null));
    }

    // ------------------------------------------------------------------ activation and confirm deadlines

    @Test
    void noVerdictWithinActivationPlusConfirmTimeoutFailsTheMachine() throws Exception {
        inFlight(IN_PLACE)
                .whenTimeElapses(VERDICT)
                .expectTriggeredDeadlinesWithName(RolloutSaga.ACTIVATION_DEADLINE, RolloutSaga.ACTIVATION_DEADLINE)
                .expectDispatchedCommands(
                        new RecordMachineRolloutFailed(D, W1, "no healthy report within 420 s (activation 300 s + confirm 120 s) of setting the desired system"),
                        new RecordMachineRolloutFailed(D, W2, "no healthy report within 420 s (activation 300 s + confirm 120 s) of setting the desired system"));
    }

    @Test
    void theAgentStartingRestartsTheWaitAsTheConfirmDeadline() throws Exception {
        inFlight(IN_PLACE)
                .andThenTimeElapses(Duration.ofSeconds(100))
                .whenAggregate(W1.toString()).publishes(report(W1, ActivationResult.STARTED))
                .expectNoDispatchedCommands()
                .expectScheduledDeadlineWithName(VERDICT, RolloutSaga.CONFIRM_DEADLINE)
                .expectScheduledDeadlineWithName(Duration.ofSeconds(320), RolloutSaga.ACTIVATION_DEADLINE) // W2's
                .expectNoScheduledDeadlineWithName(Duration.ofSeconds(320), RolloutSaga.CONFIRM_DEADLINE);
    }

    @Test
    void theConfirmDeadlineFailsAMachineThatStartedButNeverConfirmed() throws Exception {
        inFlight(IN_PLACE)
                .andThenTimeElapses(Duration.ofSeconds(100))
                .andThenAggregate(W1.toString()).published(report(W1, ActivationResult.STARTED))
                .andThenAggregate(W2.toString()).published(report(W2, ActivationResult.HEALTHY))
                .whenTimeElapses(VERDICT)
                .expectTriggeredDeadlinesWithName(RolloutSaga.CONFIRM_DEADLINE)
                .expectDispatchedCommands(new RecordMachineRolloutFailed(D, W1,
                        "no healthy report within 420 s (activation 300 s + confirm 120 s) of the agent starting the activation"));
    }

    @Test
    void aVerdictCancelsTheDeadline() throws Exception {
        inFlight(IN_PLACE)
                .andThenAggregate(W1.toString()).published(report(W1, ActivationResult.HEALTHY))
                .andThenAggregate(W2.toString()).published(report(W2, ActivationResult.HEALTHY))
                .whenTimeElapses(VERDICT)
                .expectNoDispatchedCommands()
                .expectTriggeredDeadlinesWithName();
    }

    // ------------------------------------------------------------------ failure threshold

    @Test
    void aFailureBelowTheThresholdLetsTheRolloutGoOn() throws Exception {
        inFlight(IN_PLACE)
                .andThenAggregate(AGG).published(failedOutcome(W1, 1))
                .whenAggregate(AGG).publishes(new MachineRolledOut(D, W2, RUNNING))
                .expectDispatchedCommands(desired(W3), desired(W4));
    }

    @Test
    void theFailureAtTheThresholdStartsNothingMore() throws Exception {
        inFlight(IN_PLACE)
                .andThenAggregate(AGG).published(failedOutcome(W1, 1))
                .whenAggregate(AGG).publishes(failedOutcome(W2, 2))
                .expectNoDispatchedCommands()
                .expectActiveSagas(1);
    }

    @Test
    void theFailedDeploymentEndsTheSagaAndLeavesTheRestUntouched() throws Exception {
        inFlight(spec(DrainPolicy.NONE, MaxUnavailable.count(2), 1))
                .andThenAggregate(AGG).published(new MachineRolloutFailed(D, W1, "the agent reported rolled-back", 1, 1))
                .whenAggregate(AGG).publishes(new HostDeploymentFailed(D, 1, 1, 4, DeploymentState.FAILED))
                .expectActiveSagas(0)
                .expectNoDispatchedCommands()
                .expectNoScheduledDeadlines(); // W2's wait is cancelled; W2 is left as it is
    }

    // ------------------------------------------------------------------ pause, resume, abort

    @Test
    void aPausedRolloutLetsTheInFlightMachinesFinish() throws Exception {
        inFlight(IN_PLACE)
                .andThenAggregate(AGG).published(new HostDeploymentPaused(D, "look at W1", PAUSED))
                .whenAggregate(W1.toString()).publishes(report(W1, ActivationResult.HEALTHY))
                .expectDispatchedCommands(new RecordMachineRolledOut(D, W1, RUNNING));
    }

    @Test
    void aPausedRolloutStartsNoNewBatch() throws Exception {
        inFlight(IN_PLACE)
                .andThenAggregate(AGG).published(new HostDeploymentPaused(D, "look at W1", PAUSED),
                        new MachineRolledOut(D, W1, RUNNING))
                .whenAggregate(AGG).publishes(new MachineRolledOut(D, W2, RUNNING))
                .expectNoDispatchedCommands()
                .expectNoScheduledDeadlines();
    }

    @Test
    void resumingStartsTheNextBatch() throws Exception {
        inFlight(IN_PLACE)
                .andThenAggregate(AGG).published(new HostDeploymentPaused(D, "look at W1", PAUSED),
                        new MachineRolledOut(D, W1, RUNNING), new MachineRolledOut(D, W2, RUNNING))
                .whenAggregate(AGG).publishes(new HostDeploymentResumed(D, IN_PROGRESS))
                .expectDispatchedCommands(desired(W3), desired(W4))
                .expectScheduledDeadlineWithName(VERDICT, RolloutSaga.ACTIVATION_DEADLINE);
    }

    @Test
    void pausingCancelsAWaitForBudget() throws Exception {
        web(6, DRAINING, Health.HEALTHY);
        web(7, MachineState.FAILED, Health.UNKNOWN);
        fixture.givenAggregate(AGG).published(created(IN_PLACE), started(FIVE, 2))
                .whenAggregate(AGG).publishes(new HostDeploymentPaused(D, null, PAUSED))
                .expectNoScheduledDeadlines();
    }

    @Test
    void abortEndsTheSagaAndLeavesEveryMachineAsItIs() throws Exception {
        inFlight(DRAIN_FIRST)
                .andThenAggregate(W1.toString()).published(new DrainCompleted(W1, DRAINING))
                .whenAggregate(AGG).publishes(new HostDeploymentAborted(D, "wrong revision", "alice", ABORTED))
                .expectActiveSagas(0)
                .expectNoDispatchedCommands() // no undrain, no rollback
                .expectNoScheduledDeadlines();
    }

    @Test
    void theLastOutcomeSucceedsTheDeploymentAndEndsTheSaga() throws Exception {
        inFlight(IN_PLACE)
                .whenAggregate(AGG).publishes(new HostDeploymentSucceeded(D, 5, 0, 0, SUCCEEDED))
                .expectActiveSagas(0);
    }

    // ------------------------------------------------------------------ supersede

    @Test
    void startingSupersedesOlderDeploymentsAndLeavesMachinesOfNewerOnesAlone() throws Exception {
        DeploymentId older = DeploymentId.of("web-2025-05");
        DeploymentId newer = DeploymentId.of("web-2025-07");
        targets.unfinished(older, GEN - 2, List.of(W1, W2, W6)).unfinished(newer, GEN + 1, List.of(W5));
        fixture.givenNoPriorActivity()
                .whenAggregate(AGG).publishes(created(IN_PLACE))
                .expectDispatchedCommands(
                        new SupersedeHostDeployment(older, D, GEN, List.of(W1, W2)),
                        new StartHostDeployment(D, List.of(W1, W2, W3, W4), List.of(new SkippedMachine(W5,
                                "deployment web-2025-07 (generation 6) is newer and covers it")), 2));
    }

    @Test
    void supersededMachinesAreDroppedInFlightAndTheirDeadlinesCancelled() throws Exception {
        inFlight(IN_PLACE)
                .andThenAggregate(AGG).published(new HostDeploymentSuperseded(D, DeploymentId.of("web-2025-07"), List.of(W1, W3)))
                .whenTimeElapses(VERDICT)
                .expectTriggeredDeadlinesWithName(RolloutSaga.ACTIVATION_DEADLINE) // W2's only
                .expectDispatchedCommands(new RecordMachineRolloutFailed(D, W2,
                        "no healthy report within 420 s (activation 300 s + confirm 120 s) of setting the desired system"));
    }

    @Test
    void aSupersededMachineReportsNoLongerReachTheSaga() throws Exception {
        inFlight(IN_PLACE)
                .whenAggregate(AGG).publishes(new HostDeploymentSuperseded(D, DeploymentId.of("web-2025-07"), List.of(W1)))
                .expectNoAssociationWith(RolloutSaga.MACHINE_ID, W1.toString())
                .expectAssociationWith(RolloutSaga.MACHINE_ID, W2.toString())
                .expectNoDispatchedCommands();
    }

    @Test
    void afterASupersedeTheNextBatchSkipsTheCoveredMachines() throws Exception {
        inFlight(IN_PLACE)
                .andThenAggregate(AGG).published(new MachineRolledOut(D, W2, RUNNING))
                .whenAggregate(AGG).publishes(new HostDeploymentSuperseded(D, DeploymentId.of("web-2025-07"), List.of(W1, W3)))
                .expectDispatchedCommands(desired(W4), desired(W5));
    }
}
