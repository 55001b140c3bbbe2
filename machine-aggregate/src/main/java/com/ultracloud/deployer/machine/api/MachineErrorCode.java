package com.ultracloud.deployer.machine.api;

/** Why the write side refused a command. The gateway maps each code to one HTTP status. */
public enum MachineErrorCode {
    /** The command is not allowed from the machine's current state (HTTP 409). */
    ILLEGAL_TRANSITION,
    /** The state allows the command, but a condition of it does not hold, e.g. not drained yet (HTTP 409). */
    PRECONDITION_FAILED,
    /** The command's data is inconsistent with the machine, e.g. a plan id that is not current (HTTP 409). */
    CONFLICT,
    /**
     * A fleet-wide unique value the command assigns (a hostname, a node id) is held by another live machine
     * (HTTP 409, {@code hostname-taken} / {@code node-id-taken}); {@link MachineError#taken()} says which.
     */
    TAKEN,
    /** The command's own data is invalid (HTTP 400). */
    INVALID_COMMAND
}
