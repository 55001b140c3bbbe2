package com.ultracloud.deployer.gateway.machine;

import com.ultracloud.deployer.gateway.problem.CommandTimeoutException;
import com.ultracloud.deployer.gateway.readpath.ReadPathConfig;
import com.ultracloud.deployer.machine.api.MachineState;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.callbacks.FutureCallback;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Sends commands to the write side with the caller's principal and correlation id as metadata. */
@Component
public class MachineCommands {

    /** Longer than a wait for a database connection (10 s, application.yml), so that one answers 503 first. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final CommandGateway commandGateway;
    private final Duration timeout;

    @Autowired
    MachineCommands(CommandGateway commandGateway) {
        this(commandGateway, TIMEOUT);
    }

    MachineCommands(CommandGateway commandGateway, Duration timeout) {
        this.commandGateway = commandGateway;
        this.timeout = timeout;
    }

    /**
     * A command's result and the version it produced: the sequence number of the last event it appended
     * (null when it appended none, e.g. an unchanged re-discover). A read with {@code minVersion} of it sees
     * the command's effect.
     */
    public record Sent<R>(R result, Long version) {
    }

    /** Sends a command and answers the state the aggregate is in after it. */
    public MachineState send(Object command, RequestContext context) {
        return this.<MachineState>sendForVersion(command, context).result();
    }

    /** Sends a command and answers the state the aggregate is in after it, with the version it produced. */
    public <R> Sent<R> sendForVersion(Object command, RequestContext context) {
        FutureCallback<Object, R> callback = new FutureCallback<>();
        commandGateway.send(GenericCommandMessage.asCommandMessage(command).andMetaData(context.metaData()), callback);
        CommandResultMessage<? extends R> result = callback.getResult(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (result.isExceptional()) {
            Throwable e = result.exceptionResult();
            if (e instanceof TimeoutException) {
                throw new CommandTimeoutException(command.getClass().getSimpleName(), timeout.toSeconds());
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            if (e instanceof Error error) {
                throw error;
            }
            throw new CommandExecutionException("the command failed: " + e.getMessage(), e);
        }
        Object version = result.getMetaData().get(ReadPathConfig.AGGREGATE_VERSION);
        return new Sent<>(result.getPayload(), version instanceof Number n ? n.longValue() : null);
    }

    /** Sends any command (not only the Machine's) and answers its handler's result. */
    public <R> R dispatch(Object command, RequestContext context) {
        return this.<R>sendForVersion(command, context).result();
    }

    /**
     * For idempotent commands only (discover): two installers of one machine racing to create it
     * collide on the event store's unique key; the loser simply runs again against the winner's result.
     * Losing the machine's first event (two replicas creating it at once) is an
     * {@link AggregateStreamCreationException}, which Axon does not derive from {@link ConcurrencyException}.
     */
    public Sent<MachineState> sendIdempotent(Object command, RequestContext context) {
        try {
            return sendForVersion(command, context);
        } catch (ConcurrencyException | AggregateStreamCreationException first) {
            return sendForVersion(command, context);
        }
    }
}
