package com.ultracloud.deployer.machine.saga;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.command.FailDirective;
import com.ultracloud.deployer.machine.api.event.*;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static com.ultracloud.deployer.machine.api.MachineState.*;

/**
 * The directive saga: a rescue or reprovision of a machine whose agent must acknowledge, then boot the installer; each
 * deadline that fires says the machine is unreachable (FailDirective), and every way out ends it.
 */
class DirectiveSagaTest {

    static final MachineId ID = MachineId.ofFingerprint("smbios:7c2a9e00-3f41-11ee-8000-3cecef6a1b20");
    static final String AGG = ID.toString();
    static final DirectiveTimeouts TIMEOUTS = new DirectiveTimeouts(Duration.ofMinutes(2), Duration.ofMinutes(10));
    static final String DIRECTIVE = "directive-1";

    SagaTestFixture<DirectiveSaga> fixture;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(DirectiveSaga.class);
        fixture.registerResource(TIMEOUTS);
    }

    @Test
    void aRescueWithADirectiveWaitsForTheAgentsAcknowledgement() {
        fixture.givenNoPriorActivity()
                .whenAggregate(AGG).publishes(new RescueRequested(ID, ACTIVE, RESCUE, DIRECTIVE))
                .expectActiveSagas(1)
                .expectNoDispatchedCommands()
                .expectScheduledDeadlineWithName(Duration.ofMinutes(2), DirectiveSaga.ACKNOWLEDGE_DEADLINE);
    }

    @Test
    void noAcknowledgementInTimeFailsTheDirective_theMachineIsUnreachable() {
        fixture.givenAggregate(AGG).published(new ReprovisionRequested(ID, true, null, REPROVISIONING, DIRECTIVE))
                .whenTimeElapses(Duration.ofMinutes(2).plusSeconds(1))
                .expectDeadlinesMetMatching(org.axonframework.test.matchers.Matchers.listWithAnyOf(
                        org.axonframework.test.matchers.Matchers.messageWithPayload(
                                org.hamcrest.Matchers.instanceOf(DirectiveDeadline.class))))
                .expectDispatchedCommands(new FailDirective(ID, DIRECTIVE, FailDirective.ACKNOWLEDGE,
                        "no nix-agent acknowledged the directive within 120 s (none runs, it is stopped, or it cannot "
                                + "reach the deployer)"));
    }

    @Test
    void theDeadlineDoesNotFireBeforeItsTime() {
        fixture.givenAggregate(AGG).published(new RescueRequested(ID, ACTIVE, RESCUE, DIRECTIVE))
                .whenTimeElapses(Duration.ofSeconds(119))
                .expectNoDispatchedCommands()
                .expectDeadlinesMet();
    }

    @Test
    void anAcknowledgedDirectiveWaitsForTheInstallerAndFailsWhenNoneBoots() {
        fixture.givenAggregate(AGG).published(new RescueRequested(ID, ACTIVE, RESCUE, DIRECTIVE))
                .whenAggregate(AGG).publishes(new DirectiveAcknowledged(ID, DIRECTIVE, "rescue"))
                .expectScheduledDeadlineWithName(Duration.ofMinutes(10), DirectiveSaga.BOOT_DEADLINE)
                .expectNoScheduledDeadlineWithName(Duration.ofMinutes(2), DirectiveSaga.ACKNOWLEDGE_DEADLINE);
        fixture.givenAggregate(AGG).published(new RescueRequested(ID, ACTIVE, RESCUE, DIRECTIVE),
                        new DirectiveAcknowledged(ID, DIRECTIVE, "rescue"))
                .whenTimeElapses(Duration.ofMinutes(10).plusSeconds(1))
                .expectDispatchedCommands(new FailDirective(ID, DIRECTIVE, FailDirective.BOOT,
                        "the nix-agent acknowledged the directive, but no installer discovered within 600 s (the kexec "
                                + "did not boot the installer)"));
    }

    @Test
    void anInstallerBootEndsTheSagaWithoutAFailure() {
        List<Object> boots = List.of(new RescueBooted(ID), new InstallRequested(ID, 3, INSTALL_PENDING));
        for (Object boot : boots) {
            SagaTestFixture<DirectiveSaga> f = new SagaTestFixture<>(DirectiveSaga.class);
            f.registerResource(TIMEOUTS);
            f.givenAggregate(AGG).published(new RescueRequested(ID, ACTIVE, RESCUE, DIRECTIVE),
                            new DirectiveAcknowledged(ID, DIRECTIVE, "rescue"))
                    .whenAggregate(AGG).publishes(boot)
                    .expectActiveSagas(0)
                    .expectNoScheduledDeadlines()
                    .expectNoDispatchedCommands();
        }
    }

    @Test
    void aFailedDirectiveAndEveryWayOutOfTheOperationEndTheSaga() {
        List<Object> enders = List.of(
                new DirectiveFailed(ID, DIRECTIVE, "rescue", FailDirective.AGENT, "kexec: Cannot load bzImage"),
                new RescueExited(ID, ACTIVE),
                new MachineMarkedFailed(ID, "PSU failed", "alice", RESCUE, FAILED),
                new MachineRetired(ID, null, RETIRED));
        for (Object ender : enders) {
            SagaTestFixture<DirectiveSaga> f = new SagaTestFixture<>(DirectiveSaga.class);
            f.registerResource(TIMEOUTS);
            f.givenAggregate(AGG).published(new RescueRequested(ID, ACTIVE, RESCUE, DIRECTIVE))
                    .whenAggregate(AGG).publishes(ender)
                    .expectActiveSagas(0)
                    .expectNoScheduledDeadlines();
        }
    }

    @Test
    void aRequestWithoutADirectiveStartsNothing() {
        fixture.givenNoPriorActivity()
                .whenAggregate(AGG).publishes(new RescueRequested(ID, FAILED, RESCUE, null))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void anAcknowledgementOfAnotherDirectiveKeepsTheAcknowledgeDeadline() {
        fixture.givenAggregate(AGG).published(new RescueRequested(ID, ACTIVE, RESCUE, DIRECTIVE))
                .whenAggregate(AGG).publishes(new DirectiveAcknowledged(ID, "directive-0", "rescue"))
                .expectScheduledDeadlineWithName(Duration.ofMinutes(2), DirectiveSaga.ACKNOWLEDGE_DEADLINE);
    }
}
