package com.ultracloud.deployer.machine.command;

import com.ultracloud.deployer.machine.api.LifecycleAction;
import com.ultracloud.deployer.machine.api.MachineErrorCode;
import com.ultracloud.deployer.machine.api.MachineException;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.NodeAssignment;
import com.ultracloud.deployer.machine.api.command.*;
import com.ultracloud.deployer.machine.api.event.*;
import com.ultracloud.deployer.machine.domain.InspectionCheck;
import com.ultracloud.deployer.machine.lifecycle.Lifecycle;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.ultracloud.deployer.machine.api.MachineState.*;
import static com.ultracloud.deployer.machine.command.MachineHistories.*;
import static com.ultracloud.deployer.machine.command.MachineMatchers.refusal;
import static org.assertj.core.api.Assertions.assertThat;

/** One behaviour of the Machine aggregate per test (DESIGN §3), on the lab's compute server. */
class MachineTest {

    private static final String REASON = "PSU 2 failed";

    private FixtureConfiguration<Machine> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Machine.class).registerInjectableResource(new InMemoryNodeClaims());
    }

    // ------------------------------------------------------------------ discovery

    @Test
    void firstDiscoveryCreatesTheMachineInGenerationOne() {
        fixture.givenNoPriorActivity()
                .when(new DiscoverMachine(ID, FINGERPRINT.value(), FACTS, DIGEST))
                .expectEvents(new MachineDiscovered(ID, 1, FINGERPRINT.value(), FACTS, DIGEST, DISCOVERED))
                .expectResultMessagePayload(DISCOVERED)
                .expectState(m -> assertThat(m.lastStable()).isEqualTo(DISCOVERED));
    }

    @Test
    void rediscoveryWithUnchangedFactsEmitsNothing() {
        fixture.given(commissioned())
                .when(new DiscoverMachine(ID, FINGERPRINT.value(), FACTS, DIGEST))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(COMMISSIONED);
    }

    @Test
    void rediscoveryWithChangedFactsRefreshesTheInventory() {
        fixture.given(inspected())
                .when(new DiscoverMachine(ID, FINGERPRINT.value(), CHANGED_FACTS, CHANGED_DIGEST))
                .expectEvents(new InventoryRefreshed(ID, CHANGED_FACTS, CHANGED_DIGEST))
                .expectState(m -> assertThat(m.state()).isEqualTo(INSPECTED));
    }

    @Test
    void installerBootOnAnActiveMachineIsRecordedForTheOperator() {
        fixture.given(active())
                .when(new DiscoverMachine(ID, FINGERPRINT.value(), FACTS, DIGEST))
                .expectEvents(new UnexpectedInstallerBoot(ID, ACTIVE, DIGEST))
                .expectState(m -> assertThat(m.state()).isEqualTo(ACTIVE));
    }

    /**
     * Rescue: the first installer boot is recorded, then its first "ready" with the addresses it can be reached
     * at; heartbeats at the same addresses record nothing (the store does not grow while a machine sits in
     * rescue); new addresses (another DHCP lease) are recorded again. A new rescue starts over.
     */
    @Test
    void aRescueInstallerIsRecordedOnceBootedThenOnceReadyPerAddressSet() {
        List<String> addresses = FACTS.network().addresses();
        fixture.given(rescue())
                .when(new DiscoverMachine(ID, FINGERPRINT.value(), FACTS, DIGEST, null, false, true))
                .expectEvents(new RescueBooted(ID));
        fixture.given(plus(rescue(), new RescueBooted(ID)))
                .when(new DiscoverMachine(ID, FINGERPRINT.value(), FACTS, DIGEST, null, false, false))
                .expectNoEvents();
        fixture.given(plus(rescue(), new RescueBooted(ID)))
                .when(new DiscoverMachine(ID, FINGERPRINT.value(), FACTS, DIGEST, null, false, true))
                .expectEvents(new RescueReady(ID, addresses));
        fixture.given(plus(rescue(), new RescueBooted(ID), new RescueReady(ID, addresses)))
                .when(new DiscoverMachine(ID, FINGERPRINT.value(), FACTS, DIGEST, null, false, true))
                .expectNoEvents();
        fixture.given(plus(rescue(), new RescueBooted(ID), new RescueReady(ID, addresses)))
                .when(new DiscoverMachine(ID, FINGERPRINT.value(), READDRESSED_FACTS, READDRESSED_DIGEST, null, false, true))
                .expectEvents(new RescueReady(ID, READDRESSED_FACTS.network().addresses()));
        fixture.given(plus(rescue(), new RescueBooted(ID), new RescueReady(ID, addresses),
                        new RescueExited(ID, ACTIVE), new RescueRequested(ID, ACTIVE, RESCUE, "directive-2")))
                .when(new DiscoverMachine(ID, FINGERPRINT.value(), FACTS, DIGEST, null, false, true))
                .expectEvents(new RescueBooted(ID));
        // right after exit-rescue the rescue installer's ask is its way out (it reboots), not an unexpected boot;
        // an installer that says nothing of a rescue, or one after anything else happened, is recorded
        List<Object> exited = plus(rescue(), new RescueBooted(ID), new RescueReady(ID, addresses), new RescueExited(ID, ACTIVE));
        fixture.given(exited)
                .when(new DiscoverMachine(ID, FINGERPRINT.value(), FACTS, DIGEST, null, false, true))
                .expectNoEvents();
        fixture.given(exited)
                .when(new DiscoverMachine(ID, FINGERPRINT.value(), FACTS, DIGEST, null, false, false))
                .expectEvents(new UnexpectedInstallerBoot(ID, ACTIVE, DIGEST));
        fixture.given(plus(exited, DESIRED))
                .when(new DiscoverMachine(ID, FINGERPRINT.value(), FACTS, DIGEST, null, false, true))
                .expectEvents(new UnexpectedInstallerBoot(ID, ACTIVE, DIGEST));
    }

    @Test
    void installerRebootMidInstallAbandonsTheAttemptAndWaitsForTheNext() {
        fixture.given(installing())
                .when(new DiscoverMachine(ID, FINGERPRINT.value(), FACTS, DIGEST))
                .expectEvents(new InstallAttemptAbandoned(ID, 1, ATTEMPT_LIMIT, INSTALL_PENDING))
                .expectState(m -> assertThat(m.attempt()).isEqualTo(1));
    }

    @Test
    void installerRebootOnTheLastAttemptFailsTheMachine() {
        fixture.given(installingLastAttempt())
                .when(new DiscoverMachine(ID, FINGERPRINT.value(), FACTS, DIGEST))
                .expectEvents(new InstallAttemptAbandoned(ID, 3, ATTEMPT_LIMIT, FAILED));
    }

    @Test
    void retiredMachineRediscoveredStartsNewGeneration() {
        fixture.given(retired())
                .when(new DiscoverMachine(ID, FINGERPRINT.value(), CHANGED_FACTS, CHANGED_DIGEST))
                .expectEvents(new MachineDiscovered(ID, 2, FINGERPRINT.value(), CHANGED_FACTS, CHANGED_DIGEST, DISCOVERED))
                .expectState(m -> {
                    assertThat(m.state()).isEqualTo(DISCOVERED);
                    assertThat(m.lastStable()).isEqualTo(DISCOVERED);
                    assertThat(m.drained()).isFalse();
                    assertThat(m.attempt()).isZero();
                });
    }

    @Test
    void reprovisionedMachineRediscoveredIsInstalledAgain() {
        fixture.given(reprovisioning())
                .when(new DiscoverMachine(ID, FINGERPRINT.value(), FACTS, DIGEST))
                .expectEvents(new InstallRequested(ID, ATTEMPT_LIMIT, INSTALL_PENDING))
                .expectState(m -> {
                    assertThat(m.state()).isEqualTo(INSTALL_PENDING);
                    assertThat(m.attempt()).isZero();
                });
    }

    @Test
    void rescueBootGivesTheInstallerRescueInstructions() {
        fixture.given(rescue())
                .when(new DiscoverMachine(ID, FINGERPRINT.value(), FACTS, DIGEST))
                .expectEvents(new RescueBooted(ID))
                .expectState(m -> assertThat(m.state()).isEqualTo(MachineState.RESCUE));
    }

    // ------------------------------------------------------------------ inspection and commissioning

    @Test
    void inspectionAgainstTheComputeClassPasses() {
        fixture.given(discovered())
                .when(new InspectMachine(ID, COMPUTE, null))
                .expectEvents(new MachineInspected(ID, COMPUTE, INSPECTED));
    }

    @Test
    void inspectionFailureListsEveryUnmetRequirement() {
        List<String> unmet = InspectionCheck.unmet(FACTS, STORAGE);
        assertThat(unmet).hasSize(3);
        fixture.given(discovered())
                .when(new InspectMachine(ID, STORAGE, null))
                .expectEvents(new InspectionFailed(ID, STORAGE, unmet, FAILED))
                .expectState(m -> assertThat(m.lastStable()).isEqualTo(DISCOVERED));
    }

    @Test
    void commissioningAssignsTheNodeIdFromTheHostnameWhenNoneIsGiven() {
        NodeAssignment withoutNodeId = new NodeAssignment(null, "node-a01", "compute", "rack-a",
                Map.of("rack", "a"), null, 4L);
        fixture.given(inspected())
                .when(new CommissionMachine(ID, withoutNodeId, null))
                .expectEvents(new MachineCommissioned(ID, COMMISSIONED),
                        new NodeAssigned(ID, new NodeAssignment("node-a01", "node-a01", "compute", "rack-a",
                                Map.of("rack", "a"), null, 4L)));
    }

    @Test
    void commissionWithoutHostnameIsInvalid() {
        fixture.given(inspected())
                .when(new CommissionMachine(ID, new NodeAssignment(null, " ", "compute", null, null, null, 4L), null))
                .expectNoEvents()
                .expectException(refusal(MachineErrorCode.INVALID_COMMAND, ID, INSPECTED, LifecycleAction.COMMISSION,
                        null, "hostname"));
    }

    @Test
    void commissionWithoutPoolIsFineAsTheIntentMayNameNone() {
        fixture.given(inspected())
                .when(new CommissionMachine(ID, new NodeAssignment(null, "node-a", "compute", null, null, null, 4L), null))
                .expectEvents(new MachineCommissioned(ID, COMMISSIONED),
                        new NodeAssigned(ID, new NodeAssignment("node-a", "node-a", "compute", null, null, null, 4L)));
    }

    @Test
    void commissionWithAHostnameAnotherMachineHoldsIsRefusedWithoutEvents() {
        InMemoryNodeClaims claims = new InMemoryNodeClaims().held(NodeClaims.Kind.HOSTNAME, "node-a01", "other-machine");
        new AggregateTestFixture<>(Machine.class).registerInjectableResource(claims)
                .given(inspected())
                .when(new CommissionMachine(ID, new NodeAssignment(null, "node-a01", "compute", "rack-a", null, null, 4L), null))
                .expectNoEvents()
                .expectException(refusal(MachineErrorCode.TAKEN, ID, INSPECTED, LifecycleAction.COMMISSION, null,
                        "hostname node-a01 is already assigned to machine other-machine"));
        assertThat(claims.holderOf(NodeClaims.Kind.NODE_ID, "node-a01")).isEmpty();
    }

    @Test
    void commissionWithANodeIdAnotherMachineHoldsIsRefused() {
        InMemoryNodeClaims claims = new InMemoryNodeClaims().held(NodeClaims.Kind.NODE_ID, "cp-1", "other-machine");
        new AggregateTestFixture<>(Machine.class).registerInjectableResource(claims)
                .given(inspected())
                .when(new CommissionMachine(ID, new NodeAssignment("cp-1", "node-a01", "compute", "rack-a", null, null, 4L), null))
                .expectNoEvents()
                .expectException(refusal(MachineErrorCode.TAKEN, ID, INSPECTED, LifecycleAction.COMMISSION, null,
                        "node id cp-1 is already assigned to machine other-machine"));
        assertThat(claims.holderOf(NodeClaims.Kind.HOSTNAME, "node-a01")).isEmpty();
    }

    @Test
    void commissioningClaimsTheHostnameAndNodeIdAndRetiringReleasesThem() {
        InMemoryNodeClaims claims = new InMemoryNodeClaims();
        new AggregateTestFixture<>(Machine.class).registerInjectableResource(claims)
                .given(inspected())
                .when(new CommissionMachine(ID, new NodeAssignment(null, "node-a01", "compute", "rack-a", null, null, 4L), null))
                .expectSuccessfulHandlerExecution();
        assertThat(claims.holderOf(NodeClaims.Kind.HOSTNAME, "node-a01")).contains(ID.toString());
        assertThat(claims.holderOf(NodeClaims.Kind.NODE_ID, "node-a01")).contains(ID.toString());
        List<Object> commissioned = new ArrayList<>(inspected());
        commissioned.add(new MachineCommissioned(ID, COMMISSIONED));
        commissioned.add(new NodeAssigned(ID, new NodeAssignment("node-a01", "node-a01", "compute", "rack-a", null, null, 4L)));
        new AggregateTestFixture<>(Machine.class).registerInjectableResource(claims)
                .given(commissioned)
                .when(new RetireMachine(ID, null))
                .expectSuccessfulHandlerExecution();
        assertThat(claims.holderOf(NodeClaims.Kind.HOSTNAME, "node-a01")).isEmpty();
        assertThat(claims.holderOf(NodeClaims.Kind.NODE_ID, "node-a01")).isEmpty();
    }

    // ------------------------------------------------------------------ installation

    @Test
    void startingTheInstallCountsTheAttempt() {
        fixture.given(installPending())
                .when(new StartInstall(ID, PLAN_ID))
                .expectEvents(new InstallStarted(ID, PLAN_ID, 1, INSTALLING))
                .expectState(m -> assertThat(m.attempt()).isEqualTo(1));
    }

    @Test
    void installFailureRetriesUntilAttemptLimitThenFails() {
        List<Object> history = new ArrayList<>(installPending());
        for (int attempt = 1; attempt <= ATTEMPT_LIMIT; attempt++) {
            history.add(new InstallStarted(ID, PLAN_ID, attempt, INSTALLING));
            MachineState expected = attempt < ATTEMPT_LIMIT ? INSTALL_PENDING : FAILED;
            InstallFailed failed = new InstallFailed(ID, PLAN_ID, attempt, ATTEMPT_LIMIT, "disko: wipefs failed",
                    "Device or resource busy", expected);
            new AggregateTestFixture<>(Machine.class).registerInjectableResource(new InMemoryNodeClaims())
                    .given(history)
                    .when(new FailInstall(ID, PLAN_ID, "disko: wipefs failed", "Device or resource busy"))
                    .expectEvents(failed)
                    .expectResultMessagePayload(expected);
            history.add(failed);
        }
    }

    @Test
    void completeInstallOfAStalePlanIsAConflict() {
        fixture.given(installing())
                .when(new CompleteInstall(ID, "plan-3-node-a01-1"))
                .expectNoEvents()
                .expectException(refusal(MachineErrorCode.CONFLICT, ID, INSTALLING, LifecycleAction.COMPLETE_INSTALL,
                        null, "plan-3-node-a01-1", PLAN_ID));
    }

    @Test
    void startInstallBeforeAPlanIsIssuedIsAConflict() {
        fixture.given(plus(commissioned(), new InstallRequested(ID, ATTEMPT_LIMIT, INSTALL_PENDING)))
                .when(new StartInstall(ID, PLAN_ID))
                .expectNoEvents()
                .expectException(refusal(MachineErrorCode.CONFLICT, ID, INSTALL_PENDING, LifecycleAction.START_INSTALL,
                        null, "no install plan"));
    }

    @Test
    void requestInstallWithoutAttemptsIsInvalid() {
        fixture.given(commissioned())
                .when(new RequestInstall(ID, 0, null))
                .expectNoEvents()
                .expectException(refusal(MachineErrorCode.INVALID_COMMAND, ID, COMMISSIONED,
                        LifecycleAction.REQUEST_INSTALL, null, "attemptLimit"));
    }

    // ------------------------------------------------------------------ operations

    @Test
    void drainingAnActiveMachineStartsTheDrain() {
        fixture.given(active())
                .when(new DrainMachine(ID, null))
                .expectEvents(new DrainStarted(ID, DRAINING))
                .expectState(m -> assertThat(m.drained()).isFalse());
    }

    @Test
    void completingTheDrainMarksTheMachineDrained() {
        fixture.given(draining())
                .when(new CompleteDrain(ID, null))
                .expectEvents(new DrainCompleted(ID, DRAINING))
                .expectState(m -> assertThat(m.drained()).isTrue());
    }

    @Test
    void reprovisionOfADrainingMachineThatIsNotDrainedIsRefused() {
        fixture.given(draining())
                .when(new ReprovisionMachine(ID, false, null))
                .expectNoEvents()
                .expectException(MachineException.class)
                .expectException(refusal(MachineErrorCode.PRECONDITION_FAILED, ID, DRAINING, LifecycleAction.REPROVISION,
                        Lifecycle.allowedFrom(LifecycleAction.REPROVISION), "the drain is complete"));
    }

    @Test
    void retireOfADrainingMachineThatIsNotDrainedIsRefused() {
        fixture.given(draining())
                .when(new RetireMachine(ID, null))
                .expectNoEvents()
                .expectException(refusal(MachineErrorCode.PRECONDITION_FAILED, ID, DRAINING, LifecycleAction.RETIRE,
                        Lifecycle.allowedFrom(LifecycleAction.RETIRE), "the drain is complete"));
    }

    @Test
    void reprovisionOfAnActiveMachineWithoutForceIsRefused() {
        fixture.given(active())
                .when(new ReprovisionMachine(ID, false, null))
                .expectNoEvents()
                .expectException(refusal(MachineErrorCode.PRECONDITION_FAILED, ID, ACTIVE, LifecycleAction.REPROVISION,
                        Lifecycle.allowedFrom(LifecycleAction.REPROVISION), "force is requested"));
    }

    @Test
    void reprovisionRevokesCredentials() {
        fixture.given(drained())
                .when(new ReprovisionMachine(ID, false, null))
                .expectEvents(new ReprovisionRequested(ID, false, CREDENTIALS, REPROVISIONING, "directive-1"))
                .expectState(m -> {
                    assertThat(m.drained()).isFalse();
                    assertThat(m.lastStable()).isEqualTo(COMMISSIONED);
                });
    }

    @Test
    void forcedReprovisionOfAnActiveMachineRevokesCredentials() {
        fixture.given(active())
                .when(new ReprovisionMachine(ID, true, null))
                .expectEvents(new ReprovisionRequested(ID, true, CREDENTIALS, REPROVISIONING, "directive-1"));
    }

    @Test
    void retireRevokesCredentials() {
        fixture.given(drained())
                .when(new RetireMachine(ID, null))
                .expectEvents(new MachineRetired(ID, CREDENTIALS, RETIRED));
    }

    @Test
    void exitRescueReturnsToStateBeforeRescue() {
        fixture.given(plus(drained(), new RescueRequested(ID, DRAINING, MachineState.RESCUE, "directive-1")))
                .when(new ExitRescue(ID, null))
                .expectEvents(new RescueExited(ID, DRAINING))
                .expectState(m -> {
                    assertThat(m.state()).isEqualTo(DRAINING);
                    assertThat(m.drained()).as("still drained").isTrue();
                });
    }

    @Test
    void rescueRemembersTheStateToReturnTo() {
        fixture.given(installed())
                .when(new RescueMachine(ID, null))
                .expectEvents(new RescueRequested(ID, INSTALLED, MachineState.RESCUE, "directive-1"));
    }

    @Test
    void onlyAMachineThatRunsItsInstalledSystemGetsADirective() {
        fixture.given(failed()) // marked failed while ACTIVE: its agent still runs
                .when(new RescueMachine(ID, null))
                .expectEvents(new RescueRequested(ID, FAILED, RESCUE, DIRECTIVE));
        fixture.given(plus(installPending(), new InstallPlanFailed(ID, "no disk", List.of(), FAILED)))
                .when(new ReprovisionMachine(ID, false, null))
                .expectEvents(new ReprovisionRequested(ID, false, CREDENTIALS, REPROVISIONING, null));
        // every directive of the machine has its own id
        fixture.given(plus(rescue(), new RescueBooted(ID), new RescueExited(ID, ACTIVE)))
                .when(new RescueMachine(ID, null))
                .expectEvents(new RescueRequested(ID, ACTIVE, RESCUE, "directive-2"));
    }

    @Test
    void theAgentAcknowledgesItsDirectiveOnceThenTheInstallersBootClosesIt() {
        fixture.given(rescue())
                .when(new AcknowledgeDirective(ID, DIRECTIVE))
                .expectEvents(new DirectiveAcknowledged(ID, DIRECTIVE, "rescue"))
                .expectResultMessagePayload(RESCUE);
        fixture.given(plus(rescue(), new DirectiveAcknowledged(ID, DIRECTIVE, "rescue")))
                .when(new AcknowledgeDirective(ID, DIRECTIVE))
                .expectNoEvents();
        fixture.given(plus(rescue(), new DirectiveAcknowledged(ID, DIRECTIVE, "rescue"), new RescueBooted(ID)))
                .when(new AcknowledgeDirective(ID, DIRECTIVE))
                .expectNoEvents()
                .expectException(MachineException.class)
                .expectExceptionMessage(org.hamcrest.Matchers.containsString("directive directive-1 is not open on this machine (it has none)"));
    }

    @Test
    void anotherDirectivesIdIsAConflictThatNamesTheOpenOne() {
        fixture.given(reprovisioning())
                .when(new AcknowledgeDirective(ID, "directive-7"))
                .expectNoEvents()
                .expectException(refusal(MachineErrorCode.CONFLICT, ID, REPROVISIONING, LifecycleAction.ACKNOWLEDGE_DIRECTIVE,
                        null, "its open directive is directive-1"));
    }

    @Test
    void theMachineIsUnreachable_whenNoAgentAcknowledgesOrNoInstallerBoots() {
        String notAcknowledged = "no nix-agent acknowledged the directive within 120 s";
        fixture.given(reprovisioning())
                .when(new FailDirective(ID, DIRECTIVE, FailDirective.ACKNOWLEDGE, notAcknowledged))
                .expectEvents(new DirectiveFailed(ID, DIRECTIVE, "reprovision", FailDirective.ACKNOWLEDGE, notAcknowledged))
                .expectResultMessagePayload(REPROVISIONING);
        String noBoot = "no installer discovered within 600 s";
        fixture.given(plus(reprovisioning(), new DirectiveAcknowledged(ID, DIRECTIVE, "reprovision")))
                .when(new FailDirective(ID, DIRECTIVE, FailDirective.BOOT, noBoot))
                .expectEvents(new DirectiveFailed(ID, DIRECTIVE, "reprovision", FailDirective.BOOT, noBoot));
        // the acknowledge deadline of a directive acknowledged meanwhile is stale
        fixture.given(plus(reprovisioning(), new DirectiveAcknowledged(ID, DIRECTIVE, "reprovision")))
                .when(new FailDirective(ID, DIRECTIVE, FailDirective.ACKNOWLEDGE, notAcknowledged))
                .expectNoEvents();
        // a late acknowledgement still says the machine is on its way
        fixture.given(plus(reprovisioning(), new DirectiveFailed(ID, DIRECTIVE, "reprovision", FailDirective.ACKNOWLEDGE, notAcknowledged)))
                .when(new AcknowledgeDirective(ID, DIRECTIVE))
                .expectEvents(new DirectiveAcknowledged(ID, DIRECTIVE, "reprovision"));
    }

    @Test
    void anUnreachableMachineIsStillReinstalledByTheInstallerImageTheOperatorBoots() {
        fixture.given(plus(reprovisioning(), new DirectiveFailed(ID, DIRECTIVE, "reprovision", FailDirective.ACKNOWLEDGE,
                        "no nix-agent acknowledged the directive within 120 s")))
                .when(new DiscoverMachine(ID, FINGERPRINT.value(), FACTS, DIGEST))
                .expectEvents(new InstallRequested(ID, ATTEMPT_LIMIT, INSTALL_PENDING));
        fixture.given(plus(rescue(), new DirectiveFailed(ID, DIRECTIVE, "rescue", FailDirective.AGENT, "kexec: no such file")))
                .when(new DiscoverMachine(ID, FINGERPRINT.value(), FACTS, DIGEST))
                .expectEvents(new RescueBooted(ID));
    }

    @Test
    void markFailedRecordsPrincipalFromMetadata() {
        fixture.given(active())
                .when(new MarkMachineFailed(ID, REASON, null),
                        Map.of("principal", "alice@ops.example", "correlationId", "7d1f0c2e-5b7a-4a51-9f0e-2c4b6d8e0a13"))
                .expectEvents(new MachineMarkedFailed(ID, REASON, "alice@ops.example", ACTIVE, FAILED));
    }

    @Test
    void markFailedWithoutPrincipalOrReasonRecordsThatTheyAreUnknown() {
        fixture.given(installing())
                .when(new MarkMachineFailed(ID, null, null))
                .expectEvents(new MachineMarkedFailed(ID, "marked failed without a reason", "unknown", INSTALLING, FAILED));
    }

    @Test
    void recoverReturnsToLastStableState() {
        fixture.given(plus(installing(), new InstallTimedOut(ID, "INSTALLING", FAILED)))
                .when(new RecoverMachine(ID, null))
                .expectEvents(new MachineRecovered(ID, COMMISSIONED))
                .expectState(m -> assertThat(m.state()).isEqualTo(COMMISSIONED));
    }

    @Test
    void recoverOfAFailedActiveMachineReturnsToActive() {
        fixture.given(failed())
                .when(new RecoverMachine(ID, null))
                .expectEvents(new MachineRecovered(ID, ACTIVE));
    }

    @Test
    void installTimeoutNamesThePhaseItWasStuckIn() {
        fixture.given(installPending())
                .when(new TimeOutInstall(ID, null))
                .expectEvents(new InstallTimedOut(ID, "INSTALL_PENDING", FAILED));
    }

    @Test
    void aRetiredMachineCannotBeMarkedFailed() {
        fixture.given(retired())
                .when(new MarkMachineFailed(ID, REASON, null))
                .expectNoEvents()
                .expectExceptionMessage("machine " + ID + " is RETIRED; mark-failed is allowed only from DISCOVERED, "
                        + "INSPECTED, COMMISSIONED, INSTALL_PENDING, INSTALLING, INSTALLED, ACTIVE, DRAINING, "
                        + "REPROVISIONING, RESCUE, FAILED");
    }
}
