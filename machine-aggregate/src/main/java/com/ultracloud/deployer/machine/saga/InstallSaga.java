package com.ultracloud.deployer.machine.saga;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.ultracloud.deployer.machine.api.InstallPlanSummary;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.command.FailInstallPlan;
import com.ultracloud.deployer.machine.api.command.IssueInstallPlan;
import com.ultracloud.deployer.machine.api.command.TimeOutInstall;
import com.ultracloud.deployer.machine.api.event.InspectionInvalidated;
import com.ultracloud.deployer.machine.api.event.InstallAttemptAbandoned;
import com.ultracloud.deployer.machine.api.event.InstallFailed;
import com.ultracloud.deployer.machine.api.event.InstallPlanFailed;
import com.ultracloud.deployer.machine.api.event.InstallProgressReported;
import com.ultracloud.deployer.machine.api.event.InstallRequested;
import com.ultracloud.deployer.machine.api.event.InstallStarted;
import com.ultracloud.deployer.machine.api.event.InstallSucceeded;
import com.ultracloud.deployer.machine.api.event.InstallTimedOut;
import com.ultracloud.deployer.machine.api.event.InstallerRebound;
import com.ultracloud.deployer.machine.api.event.MachineMarkedFailed;
import com.ultracloud.deployer.machine.api.event.MachineRetired;
import com.ultracloud.deployer.machine.api.event.ReprovisionRequested;
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
import java.util.List;

import static com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.ANY;
import static com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.NONE;

/**
 * One install request of one machine, from {@code InstallRequested} to its end:
 * <ol>
 *   <li>asks the {@link InstallPlanner} for credentials and a plan and sends {@link IssueInstallPlan}
 *       (→ BootstrapCredentialsIssued + InstallPlanIssued), then keeps the secrets once it is accepted
 *       ({@link InstallPlanner.Planned#keep()}), or sends {@link FailInstallPlan} when no plan can
 *       be made (→ InstallPlanFailed, FAILED); when the planner defers (no cluster intent yet) nothing is
 *       sent and the pending deadline alone bounds the wait;</li>
 *   <li>waits {@link InstallTimeouts#pending()} for the installer to fetch it ({@value #PENDING_DEADLINE});</li>
 *   <li>on {@code InstallStarted} waits {@link InstallTimeouts#installing()} between signs of life
 *       ({@value #INSTALLING_DEADLINE}, reset by every progress report);</li>
 *   <li>a deadline that fires sends {@link TimeOutInstall} (→ InstallTimedOut, FAILED);</li>
 *   <li>{@code InstallFailed} with attempts left: a new plan with new credentials and a new token,
 *       and the pending wait again; {@code InstallAttemptAbandoned} (the installer rebooted): the
 *       current plan stays, the pending wait again;</li>
 *   <li>{@code InstallerRebound} (another installer key, automatically or by an operator): a new plan with
 *       new credentials for the new key (the old token and credentials are revoked with the event), and
 *       the pending wait again. Re-sealing the old credentials would hand the new key the same private keys
 *       the old one may already hold.</li>
 * </ol>
 * It ends on InstallSucceeded, a final failure, a timeout, InstallPlanFailed, ReprovisionRequested,
 * MachineRetired, MachineMarkedFailed and InspectionInvalidated (the hardware changed), cancelling its
 * deadline. The next InstallRequested (after a reprovision) starts a new saga, which issues new
 * credentials: reprovisioning rotates them.
 */
@JsonAutoDetect(fieldVisibility = ANY, getterVisibility = NONE, isGetterVisibility = NONE)
public class InstallSaga {

    private static final Logger log = LoggerFactory.getLogger(InstallSaga.class);

    /** Association key: the machine's id, a property of every machine event. */
    public static final String MACHINE_ID = "machineId";
    /** Deadline: the installer did not fetch the plan in time. */
    public static final String PENDING_DEADLINE = "install-pending-timeout";
    /** Deadline: the installer fell silent while installing. */
    public static final String INSTALLING_DEADLINE = "installing-timeout";

    private MachineId machineId;
    private int round;
    private String deadlineId;
    private String deadlineName;

    @StartSaga
    @SagaEventHandler(associationProperty = MACHINE_ID)
    void on(InstallRequested event, CommandGateway commands, DeadlineManager deadlines, InstallPlanner planner,
            InstallTimeouts timeouts) {
        machineId = event.machineId();
        round = 0;
        planAndWait(commands, deadlines, planner, timeouts);
    }

    @SagaEventHandler(associationProperty = MACHINE_ID)
    void on(InstallStarted event, DeadlineManager deadlines, InstallTimeouts timeouts) {
        wait(deadlines, INSTALLING_DEADLINE, timeouts.installing(), MachineState.INSTALLING);
    }

    @SagaEventHandler(associationProperty = MACHINE_ID)
    void on(InstallProgressReported event, DeadlineManager deadlines, InstallTimeouts timeouts) {
        wait(deadlines, INSTALLING_DEADLINE, timeouts.installing(), MachineState.INSTALLING);
    }

    @SagaEventHandler(associationProperty = MACHINE_ID)
    void on(InstallFailed event, CommandGateway commands, DeadlineManager deadlines, InstallPlanner planner,
            InstallTimeouts timeouts) {
        if (event.state() == MachineState.INSTALL_PENDING) {
            planAndWait(commands, deadlines, planner, timeouts); // a new attempt: new plan, new credentials, new token
        } else {
            finish(deadlines);
        }
    }

    @SagaEventHandler(associationProperty = MACHINE_ID)
    void on(InstallAttemptAbandoned event, DeadlineManager deadlines, InstallTimeouts timeouts) {
        if (event.state() == MachineState.INSTALL_PENDING) {
            wait(deadlines, PENDING_DEADLINE, timeouts.pending(), MachineState.INSTALL_PENDING);
        } else {
            finish(deadlines);
        }
    }

    @SagaEventHandler(associationProperty = MACHINE_ID)
    void on(InstallerRebound event, CommandGateway commands, DeadlineManager deadlines, InstallPlanner planner,
            InstallTimeouts timeouts) {
        planAndWait(commands, deadlines, planner, timeouts);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = MACHINE_ID)
    void on(InspectionInvalidated event, DeadlineManager deadlines) {
        cancelDeadline(deadlines);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = MACHINE_ID)
    void on(InstallSucceeded event, DeadlineManager deadlines) {
        cancelDeadline(deadlines);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = MACHINE_ID)
    void on(InstallTimedOut event, DeadlineManager deadlines) {
        cancelDeadline(deadlines);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = MACHINE_ID)
    void on(InstallPlanFailed event, DeadlineManager deadlines) {
        cancelDeadline(deadlines);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = MACHINE_ID)
    void on(ReprovisionRequested event, DeadlineManager deadlines) {
        cancelDeadline(deadlines);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = MACHINE_ID)
    void on(MachineRetired event, DeadlineManager deadlines) {
        cancelDeadline(deadlines);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = MACHINE_ID)
    void on(MachineMarkedFailed event, DeadlineManager deadlines) {
        cancelDeadline(deadlines);
    }

    @DeadlineHandler(deadlineName = PENDING_DEADLINE)
    void pendingTimedOut(InstallDeadline deadline, CommandGateway commands) {
        deadlineId = null;
        commands.send(new TimeOutInstall(deadline.machineId(), deadline.phase()));
    }

    @DeadlineHandler(deadlineName = INSTALLING_DEADLINE)
    void installingTimedOut(InstallDeadline deadline, CommandGateway commands) {
        deadlineId = null;
        commands.send(new TimeOutInstall(deadline.machineId(), deadline.phase()));
    }

    // ------------------------------------------------------------------ steps

    private void planAndWait(CommandGateway commands, DeadlineManager deadlines, InstallPlanner planner,
                             InstallTimeouts timeouts) {
        round++;
        InstallPlanner.Outcome outcome = planSafely(planner);
        if (outcome instanceof InstallPlanner.Planned planned) {
            // the secrets are kept once the machine took the plan (in-process: in this transaction, the machine held);
            // a machine that moved on refuses it, and nothing is kept
            commands.send(new IssueInstallPlan(machineId, planned.credentials(), InstallPlanSummary.of(planned.plan()),
                    planned.plan())).thenRun(planned.keep());
            wait(deadlines, PENDING_DEADLINE, timeouts.pending(), MachineState.INSTALL_PENDING);
        } else if (outcome instanceof InstallPlanner.Deferred) {
            wait(deadlines, PENDING_DEADLINE, timeouts.pending(), MachineState.INSTALL_PENDING);
        } else if (outcome instanceof InstallPlanner.Refused refused) {
            cancelDeadline(deadlines);
            commands.send(new FailInstallPlan(machineId, refused.reason(), refused.problems()));
        }
    }

    /**
     * The planner's outcome, or a refusal that names what went wrong: a planner that throws (a bug, an
     * intent the planner did not expect) must end in a visible InstallPlanFailed on the machine, never
     * in a machine that waits in INSTALL_PENDING with nothing scheduled.
     */
    private InstallPlanner.Outcome planSafely(InstallPlanner planner) {
        try {
            return planner.plan(machineId, round);
        } catch (RuntimeException e) {
            log.error("planning the install of machine {} (round {}) failed", machineId, round, e);
            return new InstallPlanner.Refused("planning failed unexpectedly: " + describe(e),
                    List.of("this is a deployer fault, not the machine's: the gateway log has the details; "
                            + "recover the machine to try again once it is fixed"));
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage();
        String text = e.getClass().getSimpleName() + message;
        return text.length() > 500 ? text.substring(0, 499) + "…" : text;
    }

    /** Replaces the current deadline with {@code name}, due after {@code timeout}. */
    private void wait(DeadlineManager deadlines, String name, Duration timeout, MachineState phase) {
        cancelDeadline(deadlines);
        deadlineName = name;
        deadlineId = deadlines.schedule(timeout, name, new InstallDeadline(machineId, phase.name()));
    }

    private void cancelDeadline(DeadlineManager deadlines) {
        if (deadlineId != null) {
            deadlines.cancelSchedule(deadlineName, deadlineId);
            deadlineId = null;
            deadlineName = null;
        }
    }

    private void finish(DeadlineManager deadlines) {
        cancelDeadline(deadlines);
        SagaLifecycle.end();
    }
}
