package com.ultracloud.deployer.machine.command;

import com.ultracloud.deployer.machine.api.LifecycleAction;
import com.ultracloud.deployer.machine.api.MachineErrorCode;
import com.ultracloud.deployer.machine.api.MachineException;
import com.ultracloud.deployer.machine.api.command.ReportActivation;
import com.ultracloud.deployer.machine.api.command.SetDesiredSystem;
import com.ultracloud.deployer.machine.api.event.*;
import com.ultracloud.deployer.machine.api.rollout.ActivationResult;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;
import com.ultracloud.deployer.machine.api.rollout.RolloutStatus;
import com.ultracloud.deployer.machine.api.rollout.TargetSystem;
import com.ultracloud.deployer.machine.lifecycle.Lifecycle;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.ultracloud.deployer.machine.api.MachineState.*;
import static com.ultracloud.deployer.machine.command.MachineHistories.*;
import static com.ultracloud.deployer.machine.command.MachineMatchers.refusal;
import static org.assertj.core.api.Assertions.assertThat;

/** The Machine aggregate's rollout field: desired system and activation reports, beside the lifecycle state. */
class MachineRolloutTest {

    static final TargetSystem TARGET = TargetSystem.storePath(NEW_SYSTEM);
    static final DeploymentId NEWER = DeploymentId.of("web-2025-07");

    private FixtureConfiguration<Machine> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Machine.class).registerInjectableResource(new InMemoryNodeClaims());
    }

    static SetDesiredSystem desired(DeploymentId deployment, long generation) {
        return new SetDesiredSystem(ID, deployment, generation, TARGET, ACTIVATION);
    }

    // ------------------------------------------------------------------ SetDesiredSystem

    @Test
    void settingTheDesiredSystemOfAnActiveMachineRecordsItWithoutChangingItsState() {
        fixture.given(active())
                .when(desired(DEPLOYMENT, GENERATION))
                .expectEvents(new DesiredSystemSet(ID, DEPLOYMENT, GENERATION, TARGET, ACTIVATION))
                .expectResultMessagePayload(ACTIVE)
                .expectState(m -> {
                    assertThat(m.state()).isEqualTo(ACTIVE);
                    assertThat(m.desiredDeployment()).isEqualTo(DEPLOYMENT);
                    assertThat(m.desiredGeneration()).isEqualTo(GENERATION);
                    assertThat(m.desiredSystem()).isEqualTo(TARGET);
                    assertThat(m.rolloutStatus()).isEqualTo(RolloutStatus.PENDING);
                });
    }

    @Test
    void anInstalledMachineTakesAFirstBootTarget() {
        fixture.given(installed())
                .when(desired(DEPLOYMENT, GENERATION))
                .expectEvents(new DesiredSystemSet(ID, DEPLOYMENT, GENERATION, TARGET, ACTIVATION))
                .expectState(m -> assertThat(m.state()).isEqualTo(INSTALLED));
    }

    @Test
    void aDrainingMachineTakesADesiredSystemAndStaysDrained() {
        fixture.given(drained())
                .when(desired(DEPLOYMENT, GENERATION))
                .expectEvents(new DesiredSystemSet(ID, DEPLOYMENT, GENERATION, TARGET, ACTIVATION))
                .expectState(m -> {
                    assertThat(m.state()).isEqualTo(DRAINING);
                    assertThat(m.drained()).isTrue();
                });
    }

    @Test
    void theSameDesiredSystemAgainIsANoOp() {
        fixture.given(plus(active(), DESIRED))
                .when(desired(DEPLOYMENT, GENERATION))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aNewerDeploymentReplacesTheDesiredSystem() {
        fixture.given(plus(active(), DESIRED))
                .when(desired(NEWER, GENERATION + 1))
                .expectEvents(new DesiredSystemSet(ID, NEWER, GENERATION + 1, TARGET, ACTIVATION));
    }

    @Test
    void anOlderGenerationIsRefusedAsAConflict() {
        fixture.given(plus(active(), DESIRED))
                .when(desired(NEWER, GENERATION - 1))
                .expectNoEvents()
                .expectException(refusal(MachineErrorCode.CONFLICT, ID, ACTIVE, LifecycleAction.SET_DESIRED_SYSTEM,
                        null, "older than the current generation " + GENERATION, DEPLOYMENT.toString()));
    }

    @Test
    void theSameGenerationForAnotherDeploymentIsRefusedAsAConflict() {
        fixture.given(plus(active(), DESIRED))
                .when(desired(NEWER, GENERATION))
                .expectNoEvents()
                .expectException(refusal(MachineErrorCode.CONFLICT, ID, ACTIVE, LifecycleAction.SET_DESIRED_SYSTEM,
                        null, "already desired with deployment " + DEPLOYMENT));
    }

    @Test
    void anIncompleteTargetIsInvalid() {
        fixture.given(active())
                .when(new SetDesiredSystem(ID, DEPLOYMENT, 0, new TargetSystem(NEW_SYSTEM, "git+https://git.lab/fleet", null),
                        ACTIVATION))
                .expectNoEvents()
                .expectException(refusal(MachineErrorCode.INVALID_COMMAND, ID, ACTIVE, LifecycleAction.SET_DESIRED_SYSTEM,
                        null, "generation must be at least 1", "not both"));
    }

    @Test
    void aDesiredSystemWithAnUnresolvedHostnameIsInvalid() {
        fixture.given(active())
                .when(new SetDesiredSystem(ID, DEPLOYMENT, GENERATION,
                        TargetSystem.flake("git+https://git.lab/fleet", "nixosConfigurations.{hostname}"), ACTIVATION))
                .expectNoEvents()
                .expectException(refusal(MachineErrorCode.INVALID_COMMAND, ID, ACTIVE, LifecycleAction.SET_DESIRED_SYSTEM,
                        null, "still contains {hostname}"));
    }

    @Test
    void aCommissionedMachineRefusesADesiredSystemNamingTheStatesThatAllowIt() {
        fixture.given(commissioned())
                .when(desired(DEPLOYMENT, GENERATION))
                .expectNoEvents()
                .expectException(refusal(MachineErrorCode.ILLEGAL_TRANSITION, ID, COMMISSIONED,
                        LifecycleAction.SET_DESIRED_SYSTEM, List.of(INSTALLED, ACTIVE, DRAINING), "allowed only from"));
        assertThat(Lifecycle.allowedFrom(LifecycleAction.SET_DESIRED_SYSTEM)).containsExactly(INSTALLED, ACTIVE, DRAINING);
    }

    @Test
    void reprovisioningForgetsTheDesiredSystemButNotItsGeneration() {
        fixture.given(plus(drained(), DESIRED))
                .when(new com.ultracloud.deployer.machine.api.command.ReprovisionMachine(ID, false, null))
                .expectState(m -> {
                    assertThat(m.desiredDeployment()).isNull();
                    assertThat(m.desiredSystem()).isNull();
                    assertThat(m.rolloutStatus()).isEqualTo(RolloutStatus.NONE);
                    assertThat(m.desiredGeneration()).isEqualTo(GENERATION);
                });
    }

    // ------------------------------------------------------------------ ReportActivation

    @Test
    void theFirstHealthyReportOfAnInstalledMachineActivatesIt() {
        fixture.given(installed())
                .when(new ReportActivation(ID, null, ActivationResult.HEALTHY, SYSTEM, 0, "first boot"))
                .expectEvents(new ActivationReported(ID, null, 0, ActivationResult.HEALTHY, SYSTEM, "first boot", true),
                        new MachineActivated(ID, SYSTEM, ACTIVE))
                .expectResultMessagePayload(ACTIVE)
                .expectState(m -> {
                    assertThat(m.state()).isEqualTo(ACTIVE);
                    assertThat(m.lastStable()).isEqualTo(ACTIVE);
                    assertThat(m.rolloutStatus()).isEqualTo(RolloutStatus.HEALTHY);
                });
    }

    @Test
    void aHealthyReportOnTheFirstBootTargetActivatesAndConfirmsIt() {
        fixture.given(plus(installed(), DESIRED))
                .when(new ReportActivation(ID, DEPLOYMENT, ActivationResult.HEALTHY, NEW_SYSTEM, GENERATION, null))
                .expectEvents(new ActivationReported(ID, DEPLOYMENT, GENERATION, ActivationResult.HEALTHY, NEW_SYSTEM, null, true),
                        new MachineActivated(ID, NEW_SYSTEM, ACTIVE))
                .expectState(m -> assertThat(m.rolloutStatus()).isEqualTo(RolloutStatus.HEALTHY));
    }

    @Test
    void aStartedReportOfAnInstalledMachineDoesNotActivateIt() {
        fixture.given(plus(installed(), DESIRED))
                .when(new ReportActivation(ID, DEPLOYMENT, ActivationResult.STARTED, SYSTEM, GENERATION, "switching"))
                .expectEvents(new ActivationReported(ID, DEPLOYMENT, GENERATION, ActivationResult.STARTED, SYSTEM, "switching", true))
                .expectState(m -> {
                    assertThat(m.state()).isEqualTo(INSTALLED);
                    assertThat(m.rolloutStatus()).isEqualTo(RolloutStatus.ACTIVATING);
                });
    }

    @Test
    void aHealthyReportOfAnActiveMachineOnlyConfirmsTheRollout() {
        fixture.given(plus(active(), DESIRED))
                .when(new ReportActivation(ID, DEPLOYMENT, ActivationResult.HEALTHY, NEW_SYSTEM, GENERATION, null))
                .expectEvents(new ActivationReported(ID, DEPLOYMENT, GENERATION, ActivationResult.HEALTHY, NEW_SYSTEM, null, true))
                .expectState(m -> {
                    assertThat(m.state()).isEqualTo(ACTIVE);
                    assertThat(m.rolloutStatus()).isEqualTo(RolloutStatus.HEALTHY);
                });
    }

    @Test
    void aRolledBackReportIsRecordedAndLeavesTheLifecycleAlone() {
        fixture.given(plus(draining(), DESIRED))
                .when(new ReportActivation(ID, DEPLOYMENT, ActivationResult.ROLLED_BACK, SYSTEM, GENERATION, "healthz: 503"))
                .expectEvents(new ActivationReported(ID, DEPLOYMENT, GENERATION, ActivationResult.ROLLED_BACK, SYSTEM,
                        "healthz: 503", true))
                .expectState(m -> {
                    assertThat(m.state()).isEqualTo(DRAINING);
                    assertThat(m.rolloutStatus()).isEqualTo(RolloutStatus.ROLLED_BACK);
                });
    }

    @Test
    void aReportAboutAnOlderGenerationIsRecordedAsStaleAndChangesNothing() {
        fixture.given(plus(active(), DESIRED, new ActivationReported(ID, DEPLOYMENT, GENERATION, ActivationResult.STARTED,
                        SYSTEM, null, true), new DesiredSystemSet(ID, NEWER, GENERATION + 1, TARGET, ACTIVATION)))
                .when(new ReportActivation(ID, DEPLOYMENT, ActivationResult.FAILED, SYSTEM, GENERATION, "late"))
                .expectEvents(new ActivationReported(ID, DEPLOYMENT, GENERATION, ActivationResult.FAILED, SYSTEM, "late", false))
                .expectState(m -> {
                    assertThat(m.rolloutStatus()).isEqualTo(RolloutStatus.PENDING);
                    assertThat(m.desiredDeployment()).isEqualTo(NEWER);
                });
    }

    @Test
    void aReportWithoutAResultIsInvalid() {
        fixture.given(active())
                .when(new ReportActivation(ID, DEPLOYMENT, null, SYSTEM, GENERATION, null))
                .expectNoEvents()
                .expectException(refusal(MachineErrorCode.INVALID_COMMAND, ID, ACTIVE, LifecycleAction.REPORT_ACTIVATION,
                        null, "result is required"));
    }

    @Test
    void aFailedMachineRefusesActivationReports() {
        fixture.given(failed())
                .when(new ReportActivation(ID, DEPLOYMENT, ActivationResult.HEALTHY, SYSTEM, GENERATION, null))
                .expectNoEvents()
                .expectException(MachineException.class)
                .expectException(refusal(MachineErrorCode.ILLEGAL_TRANSITION, ID, FAILED, LifecycleAction.REPORT_ACTIVATION,
                        List.of(INSTALLED, ACTIVE, DRAINING), "allowed only from"));
    }
}
