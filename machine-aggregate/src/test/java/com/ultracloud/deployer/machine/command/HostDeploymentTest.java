package com.ultracloud.deployer.machine.command;

import com.ultracloud.deployer.machine.api.MachineErrorCode;
import com.ultracloud.deployer.machine.api.deployment.*;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;
import org.axonframework.messaging.MetaData;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.ultracloud.deployer.machine.api.deployment.DeploymentAction.*;
import static com.ultracloud.deployer.machine.api.deployment.DeploymentState.*;
import static com.ultracloud.deployer.machine.command.DeploymentHistories.*;
import static com.ultracloud.deployer.machine.command.HostDeploymentTableTest.refusal;
import static org.assertj.core.api.Assertions.assertThat;

/** One behaviour of the HostDeployment aggregate per test, beyond the generated table tests. */
class HostDeploymentTest {

    private FixtureConfiguration<HostDeployment> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(HostDeployment.class);
    }

    @Test
    void creatingADeploymentRecordsItsSpecAndWaitsForTheSaga() {
        fixture.givenNoPriorActivity()
                .when(new CreateHostDeployment(D, GENERATION, SPEC))
                .expectEvents(new HostDeploymentCreated(D, GENERATION, SPEC, PENDING))
                .expectResultMessagePayload(PENDING);
    }

    @Test
    void aSpecWithoutSelectorBatchOrThresholdIsInvalidAndEveryProblemIsNamed() {
        HostDeploymentSpec bad = new HostDeploymentSpec(new MachineSelector(null, null, null, null, null), SPEC.system(),
                0, MaxUnavailable.percent(0), SPEC.drain(), SPEC.activation(), 0);
        fixture.givenNoPriorActivity()
                .when(new CreateHostDeployment(D, GENERATION, bad))
                .expectNoEvents()
                .expectException(refusal(MachineErrorCode.INVALID_COMMAND, null, CREATE, null,
                        "empty selector", "batch size must be at least 1", "percent must be between 1 and 100",
                        "failure threshold must be at least 1"));
    }

    @Test
    void reCreatingWithAnotherSpecIsAConflict() {
        HostDeploymentSpec other = new HostDeploymentSpec(SPEC.selector(), SPEC.system(), 5, SPEC.maxUnavailable(),
                SPEC.drain(), SPEC.activation(), SPEC.failureThreshold());
        fixture.given(inProgress())
                .when(new CreateHostDeployment(D, GENERATION, other))
                .expectNoEvents()
                .expectException(refusal(MachineErrorCode.CONFLICT, IN_PROGRESS, CREATE, null, "needs a new id"));
    }

    @Test
    void reCreatingWithTheSameSpecIsANoOpWhateverTheGeneration() {
        fixture.given(inProgress())
                .when(new CreateHostDeployment(D, GENERATION + 3, SPEC))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(IN_PROGRESS);
    }

    @Test
    void startingLeavesOutMachinesAlreadySuperseded() {
        fixture.given(plus(created(), new HostDeploymentSuperseded(D, NEWER, List.of(M2))))
                .when(new StartHostDeployment(D, List.of(M1, M2, M3), List.of(), 2))
                .expectEvents(new HostDeploymentStarted(D, List.of(M1, M3), List.of(), 2, IN_PROGRESS))
                .expectState(d -> assertThat(d.remaining()).containsExactly(M1, M3));
    }

    @Test
    void startingWithNothingToDoSucceedsAtOnce() {
        fixture.given(created())
                .when(new StartHostDeployment(D, List.of(), List.of(new SkippedMachine(M1, "is unhealthy")), 1))
                .expectEvents(new HostDeploymentStarted(D, List.of(), List.of(new SkippedMachine(M1, "is unhealthy")), 1, IN_PROGRESS),
                        new HostDeploymentSucceeded(D, 0, 0, 0, SUCCEEDED));
    }

    @Test
    void theFailureThatReachesTheThresholdFailsTheDeploymentAndCountsWhatIsLeft() {
        fixture.given(plus(inProgress(), new MachineRolloutFailed(D, M2, "timed out", 1, 2)))
                .when(new RecordMachineRolloutFailed(D, M1, "the agent reported rolled-back"))
                .expectEvents(new MachineRolloutFailed(D, M1, "the agent reported rolled-back", 2, 2),
                        new HostDeploymentFailed(D, 2, 2, 1, FAILED));
    }

    @Test
    void theLastMachineRolledOutSucceedsTheDeploymentWithItsCounts() {
        fixture.given(plus(inProgress(), new MachineRolloutFailed(D, M2, "timed out", 1, 2),
                        new HostDeploymentSuperseded(D, NEWER, List.of(M3))))
                .when(new RecordMachineRolledOut(D, M1, SYSTEM))
                .expectEvents(new MachineRolledOut(D, M1, SYSTEM), new HostDeploymentSucceeded(D, 1, 1, 1, SUCCEEDED));
    }

    @Test
    void aPausedDeploymentStillRecordsItsInFlightMachines() {
        fixture.given(paused())
                .when(new RecordMachineRolledOut(D, M1, SYSTEM))
                .expectEvents(new MachineRolledOut(D, M1, SYSTEM))
                .expectState(d -> assertThat(d.state()).isEqualTo(PAUSED));
    }

    @Test
    void anOutcomeForAMachineItDoesNotRollOutIsAConflict() {
        fixture.given(inProgress())
                .when(new RecordMachineRolledOut(D, ELSEWHERE, SYSTEM))
                .expectNoEvents()
                .expectException(refusal(MachineErrorCode.CONFLICT, IN_PROGRESS, RECORD_ROLLED_OUT, null,
                        ELSEWHERE.toString(), "not one this deployment still rolls out"));
    }

    @Test
    void anOutcomeForASupersededMachineIsAConflictThatSaysSo() {
        fixture.given(plus(inProgress(), new HostDeploymentSuperseded(D, NEWER, List.of(M1))))
                .when(new RecordMachineRolloutFailed(D, M1, "timed out"))
                .expectNoEvents()
                .expectException(refusal(MachineErrorCode.CONFLICT, IN_PROGRESS, RECORD_ROLLOUT_FAILED, null,
                        "a newer deployment superseded it"));
    }

    @Test
    void supersedingDropsOnlyTheMachinesStillToRollOut() {
        fixture.given(plus(inProgress(), new MachineRolledOut(D, M1, SYSTEM)))
                .when(new SupersedeHostDeployment(D, NEWER, GENERATION + 1, List.of(M1, M2, ELSEWHERE)))
                .expectEvents(new HostDeploymentSuperseded(D, NEWER, List.of(M2)))
                .expectState(d -> assertThat(d.remaining()).containsExactly(M3));
    }

    @Test
    void onlyANewerDeploymentSupersedes() {
        fixture.given(inProgress())
                .when(new SupersedeHostDeployment(D, DeploymentId.of("web-2025-05"), GENERATION - 1, List.of(M1)))
                .expectNoEvents()
                .expectException(refusal(MachineErrorCode.CONFLICT, IN_PROGRESS, SUPERSEDE, null,
                        "only a newer deployment supersedes this one"));
    }

    @Test
    void abortRecordsWhoAbortedIt() {
        fixture.given(paused())
                .when(new AbortHostDeployment(D, "wrong revision"), MetaData.with("principal", "alice"))
                .expectEvents(new HostDeploymentAborted(D, "wrong revision", "alice", ABORTED));
    }
}
