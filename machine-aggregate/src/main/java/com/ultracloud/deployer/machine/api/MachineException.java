package com.ultracloud.deployer.machine.api;

import java.util.List;
import java.util.stream.Collectors;

/** A command refused by the Machine aggregate, with details that name machine, state and command. */
public class MachineException extends RuntimeException {

    private final MachineError error;

    public MachineException(MachineError error) {
        super(error.detail());
        this.error = error;
    }

    public MachineError error() {
        return error;
    }

    public static MachineException illegalTransition(MachineId id, MachineState state, LifecycleAction action,
                                                     List<MachineState> allowedFrom) {
        String allowed = allowedFrom.isEmpty() ? "no state"
                : allowedFrom.stream().map(Enum::name).collect(Collectors.joining(", "));
        String detail = "machine " + id + " is " + state + "; " + action.wireName()
                + " is allowed only from " + allowed;
        return new MachineException(new MachineError(MachineErrorCode.ILLEGAL_TRANSITION, id.toString(), state,
                action.wireName(), allowedFrom, detail));
    }

    public static MachineException precondition(MachineId id, MachineState state, LifecycleAction action,
                                                List<MachineState> allowedFrom, String why) {
        String detail = "machine " + id + " is " + state + "; " + action.wireName() + " refused: " + why;
        return new MachineException(new MachineError(MachineErrorCode.PRECONDITION_FAILED, id.toString(), state,
                action.wireName(), allowedFrom, detail));
    }

    public static MachineException conflict(MachineId id, MachineState state, LifecycleAction action, String why) {
        String detail = "machine " + id + " is " + state + "; " + action.wireName() + " refused: " + why;
        return new MachineException(new MachineError(MachineErrorCode.CONFLICT, id.toString(), state,
                action.wireName(), null, detail));
    }

    /** A fleet-wide unique value of the command is held by another machine ({@code heldBy}, null when unknown). */
    public static MachineException taken(MachineId id, MachineState state, LifecycleAction action, String kind,
                                         String field, String value, String heldBy) {
        String detail = "machine " + id + " is " + state + "; " + action.wireName() + " refused: "
                + kind.replace('-', ' ') + " " + value + " is already assigned to "
                + (heldBy == null ? "another machine (its commission is being committed)" : "machine " + heldBy);
        return new MachineException(new MachineError(MachineErrorCode.TAKEN, id.toString(), state,
                action.wireName(), null, detail, new MachineError.Taken(kind, field, value, heldBy)));
    }

    public static MachineException invalid(MachineId id, MachineState state, LifecycleAction action, String why) {
        String detail = action.wireName() + " of machine " + id + " is invalid: " + why;
        return new MachineException(new MachineError(MachineErrorCode.INVALID_COMMAND, id.toString(), state,
                action.wireName(), null, detail));
    }
}
