package com.ultracloud.deployer.gateway.machine;

import com.ultracloud.deployer.machine.api.MachineState;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.stereotype.Component;

import java.util.concurrent.TimeUnit;

/** Sends commands to the write side with the caller's principal and correlation id as metadata. */
@Component
public class MachineCommands {

    private static final long TIMEOUT_SECONDS = 30;

    private final CommandGateway commandGateway;

    MachineCommands(CommandGateway commandGateway) {
        this.commandGateway = commandGateway;
    }

    /** Sends a command and answers the state the aggregate is in after it. */
    public MachineState send(Object command, RequestContext context) {
        return commandGateway.sendAndWait(
                GenericCommandMessage.asCommandMessage(command).andMetaData(context.metaData()),
                TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** Sends any command (not only the Machine's) and answers its handler's result. */
    public <R> R dispatch(Object command, RequestContext context) {
        return commandGateway.sendAndWait(
                GenericCommandMessage.asCommandMessage(command).andMetaData(context.metaData()),
                TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * For idempotent commands only (discover): two installers of one machine racing to create it
     * collide on the event store's unique key; the loser simply runs again against the winner's result.
     */
    public MachineState sendIdempotent(Object command, RequestContext context) {
        try {
            return send(command, context);
        } catch (ConcurrencyException first) {
            return send(command, context);
        }
    }
}
