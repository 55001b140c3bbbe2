package com.ultracloud.deployer.machine.saga;

import com.ultracloud.deployer.machine.api.InstallPlanSummary;
import com.ultracloud.deployer.machine.api.IssuedCredentials;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.command.FailInstallPlan;
import com.ultracloud.deployer.machine.api.command.IssueInstallPlan;
import com.ultracloud.deployer.machine.api.command.TimeOutInstall;
import com.ultracloud.deployer.machine.api.event.*;
import com.ultracloud.deployer.protocol.InstallPlan;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.ultracloud.deployer.machine.api.MachineState.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The install saga with Axon's SagaTestFixture: happy path, retries, both timeouts and every end. */
class InstallSagaTest {

    static final MachineId ID = MachineId.ofFingerprint("smbios:7c2a9e00-3f41-11ee-8000-3cecef6a1b20");
    static final String AGG = ID.toString();
    static final InstallTimeouts TIMEOUTS = new InstallTimeouts(Duration.ofMinutes(30), Duration.ofMinutes(60));

    /** A planner that issues a new plan id and token hash per call, and can be told to refuse. */
    static final class FakePlanner implements InstallPlanner {
        final List<Integer> rounds = new ArrayList<>();
        /** What happened, in order: "kept N" when round N's secrets were stored (the test adds its dispatches). */
        final List<String> steps = new ArrayList<>();
        boolean refuse;
        boolean defer;
        RuntimeException fault;
        int faultFromRound = 1;

        @Override
        public Outcome plan(MachineId machineId, int round) {
            rounds.add(round);
            if (fault != null && round >= faultFromRound) {
                throw fault;
            }
            if (defer) {
                return new Deferred("no cluster intent has been imported");
            }
            if (refuse) {
                return new Refused("no disk matches the root-device hints of disk policy 'nvme-root'",
                        List.of("sda: rotational true does not satisfy false", "sdb: removable"));
            }
            return new Planned(credentials(round), plan(round), () -> steps.add("kept " + round));
        }

        static IssuedCredentials credentials(int round) {
            return new IssuedCredentials("SHA256:ssh" + round, "0a" + round, "sha256:tls" + round, "sha256:token" + round,
                    Instant.parse("2026-01-01T02:00:00Z"));
        }

        static InstallPlan plan(int round) {
            return new InstallPlan("plan-" + round, 1L, "standard",
                    new InstallPlan.SystemRef("git+https://git.lab/fleet", "nixosConfigurations.cp-1", "cp-1"),
                    new InstallPlan.RootDevice("/dev/disk/by-id/nvme-X", Map.of("size", ">= 800"), "first match", List.of()),
                    "single-ext4", "root-disk", null, "https://deployer/images/installer", List.of("console=tty0"));
        }
    }

    SagaTestFixture<InstallSaga> fixture;
    FakePlanner planner;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(InstallSaga.class);
        planner = new FakePlanner();
        fixture.registerResource(planner);
        fixture.registerResource(TIMEOUTS);
    }

    static IssueInstallPlan issued(int round) {
        InstallPlan plan = FakePlanner.plan(round);
        return new IssueInstallPlan(ID, FakePlanner.credentials(round), InstallPlanSummary.of(plan), plan);
    }

    @Test
    void installRequestedIssuesCredentialsAndAPlanAndWaitsForTheInstaller() {
        fixture.givenNoPriorActivity()
                .whenAggregate(AGG).publishes(new InstallRequested(ID, 3, INSTALL_PENDING))
                .expectActiveSagas(1)
                .expectDispatchedCommands(issued(1))
                .expectScheduledDeadlineWithName(Duration.ofMinutes(30), InstallSaga.PENDING_DEADLINE);
        assertThat(planner.rounds).containsExactly(1);
    }

    /**
     * The secrets are stored once the machine took the plan, as a command holds its machine before it writes the
     * machine's rows (ReplicaConflictIT: storing first, then waiting for the machine, deadlocked with an operator's
     * mark-failed that held the machine and revoked those rows).
     */
    @Test
    void theSecretsAreKeptOnlyOnceTheMachineTookThePlan() {
        fixture.setCallbackBehavior((command, metaData) -> {
            planner.steps.add("dispatched " + command.getClass().getSimpleName());
            return null;
        });
        fixture.givenNoPriorActivity()
                .whenAggregate(AGG).publishes(new InstallRequested(ID, 3, INSTALL_PENDING))
                .expectDispatchedCommands(issued(1));
        assertThat(planner.steps).containsExactly("dispatched IssueInstallPlan", "kept 1");
    }

    @Test
    void aPlanTheMachineRefusesKeepsNoSecrets() {
        fixture.setCallbackBehavior((command, metaData) -> {
            throw new IllegalStateException("the machine moved on: it is FAILED");
        });
        fixture.givenNoPriorActivity()
                .whenAggregate(AGG).publishes(new InstallRequested(ID, 3, INSTALL_PENDING))
                .expectDispatchedCommands(issued(1))
                .expectScheduledDeadlineWithName(Duration.ofMinutes(30), InstallSaga.PENDING_DEADLINE);
        assertThat(planner.steps).isEmpty();
    }

    @Test
    void theInstallerFetchingThePlanSwitchesToTheInstallingDeadline() {
        fixture.givenAggregate(AGG).published(new InstallRequested(ID, 3, INSTALL_PENDING))
                .whenAggregate(AGG).publishes(new InstallStarted(ID, "plan-1", 1, INSTALLING))
                .expectActiveSagas(1)
                .expectNoDispatchedCommands()
                .expectScheduledDeadlineWithName(Duration.ofMinutes(60), InstallSaga.INSTALLING_DEADLINE)
                .expectNoScheduledDeadlineWithName(Duration.ofMinutes(30), InstallSaga.PENDING_DEADLINE);
    }

    @Test
    void progressResetsTheInstallingDeadline() throws Exception {
        fixture.givenAggregate(AGG).published(new InstallRequested(ID, 3, INSTALL_PENDING),
                        new InstallStarted(ID, "plan-1", 1, INSTALLING))
                .andThenTimeElapses(Duration.ofMinutes(50))
                .whenAggregate(AGG).publishes(new InstallProgressReported(ID, "plan-1", "disko", 20, "partitioning"))
                .expectScheduledDeadlineWithName(Duration.ofMinutes(60), InstallSaga.INSTALLING_DEADLINE)
                .expectNoScheduledDeadlineWithName(Duration.ofMinutes(10), InstallSaga.INSTALLING_DEADLINE);
    }

    @Test
    void anInstallerReboundGetsANewPlanWithNewCredentials() {
        fixture.givenAggregate(AGG).published(new InstallRequested(ID, 3, INSTALL_PENDING),
                        new InstallerKeyBound(ID, "sha256:aa"))
                .whenAggregate(AGG).publishes(new InstallerRebound(ID, "sha256:aa", "sha256:bb", "automatic",
                        FakePlanner.credentials(1)))
                .expectActiveSagas(1)
                .expectDispatchedCommands(issued(2))
                .expectScheduledDeadlineWithName(Duration.ofMinutes(30), InstallSaga.PENDING_DEADLINE);
        assertThat(planner.rounds).containsExactly(1, 2);
    }

    @Test
    void aRebindThatWaitsForAnOperatorChangesNothingYet() {
        fixture.givenAggregate(AGG).published(new InstallRequested(ID, 3, INSTALL_PENDING),
                        new InstallerKeyBound(ID, "sha256:aa"))
                .whenAggregate(AGG).publishes(new InstallerRebindRequested(ID, "sha256:aa", "sha256:bb"))
                .expectActiveSagas(1)
                .expectNoDispatchedCommands();
        assertThat(planner.rounds).containsExactly(1);
    }

    @Test
    void changedHardwareEndsTheInstallBeforeAnyNewPlan() {
        fixture.givenAggregate(AGG).published(new InstallRequested(ID, 3, INSTALL_PENDING))
                .whenAggregate(AGG).publishes(new InspectionInvalidated(ID, "sha256:old", "sha256:new", List.of("disks"),
                        FakePlanner.credentials(1), DISCOVERED))
                .expectActiveSagas(0)
                .expectNoDispatchedCommands()
                .expectNoScheduledDeadlines();
        assertThat(planner.rounds).containsExactly(1);
    }

    @Test
    void happyPathEndsTheSagaAndCancelsItsDeadline() {
        fixture.givenAggregate(AGG).published(new InstallRequested(ID, 3, INSTALL_PENDING),
                        new InstallStarted(ID, "plan-1", 1, INSTALLING),
                        new InstallProgressReported(ID, "plan-1", "nixos-install", 80, "copying"))
                .whenAggregate(AGG).publishes(new InstallSucceeded(ID, "plan-1", INSTALLED))
                .expectActiveSagas(0)
                .expectNoDispatchedCommands()
                .expectNoScheduledDeadlines();
    }

    @Test
    void aFailureWithAttemptsLeftIssuesANewPlanWithNewCredentials() {
        fixture.givenAggregate(AGG).published(new InstallRequested(ID, 3, INSTALL_PENDING),
                        new InstallStarted(ID, "plan-1", 1, INSTALLING))
                .whenAggregate(AGG).publishes(new InstallFailed(ID, "plan-1", 1, 3, "disko failed", "wipefs: busy", INSTALL_PENDING))
                .expectActiveSagas(1)
                .expectDispatchedCommands(issued(2))
                .expectScheduledDeadlineWithName(Duration.ofMinutes(30), InstallSaga.PENDING_DEADLINE)
                .expectNoScheduledDeadlineWithName(Duration.ofMinutes(60), InstallSaga.INSTALLING_DEADLINE);
        assertThat(planner.rounds).containsExactly(1, 2);
    }

    @Test
    void theLastFailureEndsTheSaga() {
        fixture.givenAggregate(AGG).published(new InstallRequested(ID, 1, INSTALL_PENDING),
                        new InstallStarted(ID, "plan-1", 1, INSTALLING))
                .whenAggregate(AGG).publishes(new InstallFailed(ID, "plan-1", 1, 1, "disko failed", null, FAILED))
                .expectActiveSagas(0)
                .expectNoDispatchedCommands()
                .expectNoScheduledDeadlines();
    }

    @Test
    void anInstallerThatNeverFetchesThePlanTimesOut() {
        fixture.givenAggregate(AGG).published(new InstallRequested(ID, 3, INSTALL_PENDING))
                .whenTimeElapses(Duration.ofMinutes(31))
                .expectTriggeredDeadlinesWithName(InstallSaga.PENDING_DEADLINE)
                .expectDispatchedCommands(new TimeOutInstall(ID, "INSTALL_PENDING"));
    }

    @Test
    void aSilentInstallerTimesOut() {
        fixture.givenAggregate(AGG).published(new InstallRequested(ID, 3, INSTALL_PENDING),
                        new InstallStarted(ID, "plan-1", 1, INSTALLING))
                .whenTimeElapses(Duration.ofMinutes(61))
                .expectTriggeredDeadlinesWithName(InstallSaga.INSTALLING_DEADLINE)
                .expectDispatchedCommands(new TimeOutInstall(ID, "INSTALLING"));
    }

    @Test
    void theInstallingDeadlineDoesNotFireBeforeItsTime() {
        fixture.givenAggregate(AGG).published(new InstallRequested(ID, 3, INSTALL_PENDING),
                        new InstallStarted(ID, "plan-1", 1, INSTALLING))
                .whenTimeElapses(Duration.ofMinutes(59))
                .expectNoDispatchedCommands()
                .expectDeadlinesMet();
    }

    @Test
    void theTimeoutEventEndsTheSaga() throws Exception {
        fixture.givenAggregate(AGG).published(new InstallRequested(ID, 3, INSTALL_PENDING))
                .andThenTimeElapses(Duration.ofMinutes(31))
                .whenAggregate(AGG).publishes(new InstallTimedOut(ID, "INSTALL_PENDING", FAILED))
                .expectActiveSagas(0)
                .expectNoScheduledDeadlines();
    }

    @Test
    void noPlanFailsThePlanAndTheSagaEndsOnInstallPlanFailed() {
        planner.refuse = true;
        fixture.givenNoPriorActivity()
                .whenAggregate(AGG).publishes(new InstallRequested(ID, 3, INSTALL_PENDING))
                .expectDispatchedCommands(new FailInstallPlan(ID,
                        "no disk matches the root-device hints of disk policy 'nvme-root'",
                        List.of("sda: rotational true does not satisfy false", "sdb: removable")))
                .expectNoScheduledDeadlines();
        fixture.givenAggregate(AGG).published(new InstallRequested(ID, 3, INSTALL_PENDING))
                .whenAggregate(AGG).publishes(new InstallPlanFailed(ID, "no disk", List.of(), FAILED))
                .expectActiveSagas(0);
    }

    @Test
    void aPlannerThatThrowsFailsThePlanWithTheReasonInsteadOfLeavingTheMachineWaiting() {
        planner.fault = new NullPointerException("Cannot invoke \"String.length()\" because \"failureDomain\" is null");
        fixture.givenNoPriorActivity()
                .whenAggregate(AGG).publishes(new InstallRequested(ID, 3, INSTALL_PENDING))
                .expectDispatchedCommands(new FailInstallPlan(ID,
                        "planning failed unexpectedly: NullPointerException: Cannot invoke \"String.length()\" because "
                                + "\"failureDomain\" is null",
                        List.of("this is a deployer fault, not the machine's: the gateway log has the details; "
                                + "recover the machine to try again once it is fixed")))
                .expectNoScheduledDeadlines();
    }

    @Test
    void aPlannerThatThrowsOnARetryFailsThatPlanToo() {
        planner.fault = new IllegalStateException("cannot serialise plan");
        planner.faultFromRound = 2;
        fixture.givenAggregate(AGG).published(new InstallRequested(ID, 3, INSTALL_PENDING))
                .whenAggregate(AGG).publishes(new InstallFailed(ID, "plan-1", 1, 3, "disko exited with 1", "", INSTALL_PENDING))
                .expectDispatchedCommands(new FailInstallPlan(ID,
                        "planning failed unexpectedly: IllegalStateException: cannot serialise plan",
                        List.of("this is a deployer fault, not the machine's: the gateway log has the details; "
                                + "recover the machine to try again once it is fixed")))
                .expectNoScheduledDeadlines();
    }

    @Test
    void withoutAnIntentThePlanIsDeferredAndOnlyThePendingDeadlineRuns() {
        planner.defer = true;
        fixture.givenNoPriorActivity()
                .whenAggregate(AGG).publishes(new InstallRequested(ID, 3, INSTALL_PENDING))
                .expectActiveSagas(1)
                .expectNoDispatchedCommands()
                .expectScheduledDeadlineWithName(Duration.ofMinutes(30), InstallSaga.PENDING_DEADLINE);
    }

    @Test
    void anAbandonedAttemptKeepsThePlanAndWaitsForTheInstallerAgain() {
        fixture.givenAggregate(AGG).published(new InstallRequested(ID, 3, INSTALL_PENDING),
                        new InstallStarted(ID, "plan-1", 1, INSTALLING))
                .whenAggregate(AGG).publishes(new InstallAttemptAbandoned(ID, 1, 3, INSTALL_PENDING))
                .expectActiveSagas(1)
                .expectNoDispatchedCommands()
                .expectScheduledDeadlineWithName(Duration.ofMinutes(30), InstallSaga.PENDING_DEADLINE);
    }

    @Test
    void reprovisionRetireAndMarkFailedEndTheSaga() {
        List<Object> enders = List.of(
                new ReprovisionRequested(ID, false, FakePlanner.credentials(1), REPROVISIONING, null),
                new MachineRetired(ID, FakePlanner.credentials(1), RETIRED),
                new MachineMarkedFailed(ID, "PSU failed", "alice", INSTALLING, FAILED));
        for (Object ender : enders) {
            SagaTestFixture<InstallSaga> f = new SagaTestFixture<>(InstallSaga.class);
            f.registerResource(new FakePlanner());
            f.registerResource(TIMEOUTS);
            f.givenAggregate(AGG).published(new InstallRequested(ID, 3, INSTALL_PENDING),
                            new InstallStarted(ID, "plan-1", 1, INSTALLING))
                    .whenAggregate(AGG).publishes(ender)
                    .expectActiveSagas(0)
                    .expectNoScheduledDeadlines();
        }
    }

    @Test
    void aReprovisionedMachineGetsNewCredentialsFromANewSaga() {
        fixture.givenAggregate(AGG).published(new InstallRequested(ID, 3, INSTALL_PENDING),
                        new InstallStarted(ID, "plan-1", 1, INSTALLING),
                        new InstallSucceeded(ID, "plan-1", INSTALLED),
                        new ReprovisionRequested(ID, false, FakePlanner.credentials(1), REPROVISIONING, null))
                .whenAggregate(AGG).publishes(new InstallRequested(ID, 3, INSTALL_PENDING))
                .expectActiveSagas(1)
                .expectDispatchedCommands(issued(1))
                .expectScheduledDeadlineWithName(Duration.ofMinutes(30), InstallSaga.PENDING_DEADLINE);
        assertThat(planner.rounds).containsExactly(1, 1); // one plan per install request: issued twice
    }
}
