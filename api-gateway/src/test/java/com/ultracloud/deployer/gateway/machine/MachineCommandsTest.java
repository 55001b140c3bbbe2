package com.ultracloud.deployer.gateway.machine;

import com.ultracloud.deployer.gateway.problem.CommandTimeoutException;
import com.ultracloud.deployer.machine.api.MachineState;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandResultMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

/**
 * An idempotent command (discover) that loses a race on the event store runs once more against the winner's events,
 * whichever way Axon reports the loss: a later event's {@link ConcurrencyException}, or the machine's first event's
 * {@link AggregateStreamCreationException} (two replicas creating one machine at once; ReplicaConflictIT met it as a
 * 500 from discover).
 */
class MachineCommandsTest {

    private static final RequestContext INSTALLER = new RequestContext("installer@127.0.0.1", "race-1");

    @Test
    void aDiscoverThatLostTheRaceToCreateTheMachineRunsAgainstTheWinner() {
        List<Object> answers = new ArrayList<>(List.of(
                new AggregateStreamCreationException("Cannot reuse aggregate identifier [m-1] to create aggregate [Machine]"),
                MachineState.DISCOVERED));
        MachineCommands commands = new MachineCommands(gatewayAnswering(answers));

        assertThat(commands.sendIdempotent("discover m-1", INSTALLER).result()).isEqualTo(MachineState.DISCOVERED);
        assertThat(answers).isEmpty();
    }

    @Test
    void aDiscoverThatLostTheRaceForALaterEventRunsAgainstTheWinner() {
        List<Object> answers = new ArrayList<>(List.of(
                new ConcurrencyException("An event for aggregate [m-1] at sequence [3] was already inserted"),
                MachineState.INSTALL_PENDING));
        MachineCommands commands = new MachineCommands(gatewayAnswering(answers));

        assertThat(commands.sendIdempotent("discover m-1", INSTALLER).result()).isEqualTo(MachineState.INSTALL_PENDING);
        assertThat(answers).isEmpty();
    }

    @Test
    void aDiscoverRunsAgainOnlyOnce() {
        List<Object> answers = new ArrayList<>(List.of(
                new AggregateStreamCreationException("lost once"), new ConcurrencyException("lost twice"),
                MachineState.DISCOVERED));
        MachineCommands commands = new MachineCommands(gatewayAnswering(answers));

        assertThatThrownBy(() -> commands.sendIdempotent("discover m-1", INSTALLER)).isInstanceOf(ConcurrencyException.class);
    }

    /** A command that does not answer in time (queued behind others, or for a connection) is a 503, not a 500. */
    @Test
    void aCommandThatDoesNotAnswerInTimeIsACommandTimeout() {
        MachineCommands commands = new MachineCommands(mock(CommandGateway.class), Duration.ofMillis(50));

        assertThatThrownBy(() -> commands.send("install m-1", INSTALLER)).isInstanceOf(CommandTimeoutException.class)
                .hasMessageContaining("did not finish").hasMessageContaining("may still take effect");
    }

    /** A command gateway whose sends answer {@code answers} in turn (a Throwable: as the command's exception). */
    @SuppressWarnings("unchecked")
    private static CommandGateway gatewayAnswering(List<Object> answers) {
        CommandGateway gateway = mock(CommandGateway.class);
        doAnswer(invocation -> {
            CommandMessage<Object> command = invocation.getArgument(0);
            CommandCallback<Object, Object> callback = invocation.getArgument(1);
            Object answer = answers.remove(0);
            callback.onResult(command, answer instanceof Throwable t ? GenericCommandResultMessage.asCommandResultMessage(t)
                    : GenericCommandResultMessage.asCommandResultMessage(answer));
            return null;
        }).when(gateway).send(any(), any(CommandCallback.class));
        return gateway;
    }
}
