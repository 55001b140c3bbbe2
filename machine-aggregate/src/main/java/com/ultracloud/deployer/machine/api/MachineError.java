package com.ultracloud.deployer.machine.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * The details of a refused command: travels inside Axon's {@code CommandExecutionException}, so
 * the gateway can build a problem response even when the command ran on another node.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MachineError(MachineErrorCode code, String machineId, MachineState currentState, String command,
                           List<MachineState> allowedFrom, String detail) {
}
