package com.ultracloud.deployer.machine.saga;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.command.FailDirective;
import com.ultracloud.deployer.machine.api.event.DirectiveAcknowledged;
import com.ultracloud.deployer.machine.api.event.DirectiveFailed;
import com.ultracloud.deployer.machine.api.event.InstallRequested;
import com.ultracloud.deployer.machine.api.event.MachineDiscovered;
import com.ultracloud.deployer.machine.api.event.MachineMarkedFailed;
import com.ultracloud.deployer.machine.api.event.MachineRetired;
import com.ultracloud.deployer.machine.api.event.ReprovisionRequested;
import com.ultracloud.deployer.machine.api.event.RescueBooted;
import com.ultracloud.deployer.machine.api.event.RescueExited;
import com.ultracloud.deployer.machine.api.event.RescueRequested;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;

import java.time.Duration;

import static com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.ANY;
import static com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.NONE;

/**
 * One rescue or reprovision directive of a machine that runs its installed system (docs/day2.md), from the request
 * to the installer's boot:
 * <ol>
 *   <li>RescueRequested / ReprovisionRequested with a directive id: waits {@link DirectiveTimeouts#acknowledge()} for
 *       the nix-agent to acknowledge it ({@value #ACKNOWLEDGE_DEADLINE});</li>
 *   <li>DirectiveAcknowledged: waits {@link DirectiveTimeouts#boot()} for the installer the agent kexecs into to
 *       discover ({@value #BOOT_DEADLINE});</li>
 *   <li>a deadline that fires sends {@link FailDirective}: the machine detail tells the operator that the machine
 *       did not answer and to boot the installer image, whose discover still carries the rescue or reinstall out.</li>
 * </ol>
 * It ends when an installer boots (RescueBooted, InstallRequested), when the directive fails, and when the machine
 * leaves the operation (RescueExited, MachineMarkedFailed, MachineRetired, MachineDiscovered). A request without a
 * directive id (no agent runs) ends it at once.
 */
@JsonAutoDetect(fieldVisibility = ANY, getterVisibility = NONE, isGetterVisibility = NONE)
public class DirectiveSaga {

    public static final String MACHINE_ID = "machineId";
    /** Deadline: no agent acknowledged the directive. */
    public static final String ACKNOWLEDGE_DEADLINE = "directive-acknowledge-timeout";
    /** Deadline: acknowledged, but no installer discovered. */
    public static final String BOOT_DEADLINE = "directive-boot-timeout";

    private MachineId machineId;
    private String directiveId;
    private String deadlineId;
    private String deadlineName;

    @StartSaga
    @SagaEventHandler(associationProperty = MACHINE_ID)
    void on(RescueRequested event, DeadlineManager deadlines, DirectiveTimeouts timeouts) {
        open(event.machineId(), event.directiveId(), deadlines, timeouts);
    }

    @StartSaga
    @SagaEventHandler(associationProperty = MACHINE_ID)
    void on(ReprovisionRequested event, DeadlineManager deadlines, DirectiveTimeouts timeouts) {
        open(event.machineId(), event.directiveId(), deadlines, timeouts);
    }

    @SagaEventHandler(associationProperty = MACHINE_ID)
    void on(DirectiveAcknowledged event, DeadlineManager deadlines, DirectiveTimeouts timeouts) {
        if (event.directiveId().equals(directiveId)) {
            wait(deadlines, BOOT_DEADLINE, FailDirective.BOOT, timeouts.boot());
        }
    }

    @EndSaga
    @SagaEventHandler(associationProperty = MACHINE_ID)
    void on(DirectiveFailed event, DeadlineManager deadlines) {
        cancelDeadline(deadlines);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = MACHINE_ID)
    void on(RescueBooted event, DeadlineManager deadlines) {
        cancelDeadline(deadlines);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = MACHINE_ID)
    void on(InstallRequested event, DeadlineManager deadlines) {
        cancelDeadline(deadlines);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = MACHINE_ID)
    void on(RescueExited event, DeadlineManager deadlines) {
        cancelDeadline(deadlines);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = MACHINE_ID)
    void on(MachineMarkedFailed event, DeadlineManager deadlines) {
        cancelDeadline(deadlines);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = MACHINE_ID)
    void on(MachineRetired event, DeadlineManager deadlines) {
        cancelDeadline(deadlines);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = MACHINE_ID)
    void on(MachineDiscovered event, DeadlineManager deadlines) {
        cancelDeadline(deadlines);
    }

    @DeadlineHandler(deadlineName = ACKNOWLEDGE_DEADLINE)
    void notAcknowledged(DirectiveDeadline deadline, CommandGateway commands) {
        deadlineId = null;
        commands.send(new FailDirective(deadline.machineId(), deadline.directiveId(), FailDirective.ACKNOWLEDGE,
                "no nix-agent acknowledged the directive within " + deadline.seconds() + " s (none runs, it is "
                        + "stopped, or it cannot reach the deployer)"));
    }

    @DeadlineHandler(deadlineName = BOOT_DEADLINE)
    void noInstallerBooted(DirectiveDeadline deadline, CommandGateway commands) {
        deadlineId = null;
        commands.send(new FailDirective(deadline.machineId(), deadline.directiveId(), FailDirective.BOOT,
                "the nix-agent acknowledged the directive, but no installer discovered within " + deadline.seconds()
                        + " s (the kexec did not boot the installer)"));
    }

    private void open(MachineId machine, String directive, DeadlineManager deadlines, DirectiveTimeouts timeouts) {
        cancelDeadline(deadlines);
        if (directive == null) {
            SagaLifecycle.end(); // no agent runs on the machine: the operator boots the installer image
            return;
        }
        machineId = machine;
        directiveId = directive;
        wait(deadlines, ACKNOWLEDGE_DEADLINE, FailDirective.ACKNOWLEDGE, timeouts.acknowledge());
    }

    private void wait(DeadlineManager deadlines, String name, String phase, Duration timeout) {
        cancelDeadline(deadlines);
        deadlineName = name;
        deadlineId = deadlines.schedule(timeout, name, new DirectiveDeadline(machineId, directiveId, phase, timeout.toSeconds()));
    }

    private void cancelDeadline(DeadlineManager deadlines) {
        if (deadlineId != null) {
            deadlines.cancelSchedule(deadlineName, deadlineId);
            deadlineId = null;
            deadlineName = null;
        }
    }
}
