package com.ultracloud.deployer.machine.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * The details of a refused command: travels inside Axon's {@code CommandExecutionException}, so
 * the gateway can build a problem response even when the command ran on another node.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MachineError(MachineErrorCode code, String machineId, MachineState currentState, String command,
                           List<MachineState> allowedFrom, String detail, Taken taken) {

    public MachineError(MachineErrorCode code, String machineId, MachineState currentState, String command,
                        List<MachineState> allowedFrom, String detail) {
        this(code, machineId, currentState, command, allowedFrom, detail, null);
    }

    /**
     * With {@link MachineErrorCode#TAKEN}: {@code value} of {@code kind} ({@code hostname}, {@code node-id};
     * {@code field} names it in an assignment: {@code hostname}, {@code nodeId}) is held by machine
     * {@code heldBy} (null when its claim was not committed yet).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Taken(String kind, String field, String value, String heldBy) {
    }
}
