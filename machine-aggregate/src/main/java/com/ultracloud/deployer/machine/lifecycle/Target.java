package com.ultracloud.deployer.machine.lifecycle;

import com.ultracloud.deployer.machine.api.MachineState;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Where a transition leads: a fixed state, the same state, the last stable state (recover) or the
 * state before rescue (exit-rescue).
 */
public final class Target {
    public static final Target SAME = new Target(null, "same");
    public static final Target LAST_STABLE = new Target(null, "last stable state");
    public static final Target RETURN_STATE = new Target(null, "state before rescue");

    /**
     * States exit-rescue may return to: exactly the states rescue is allowed from. An EnumSet, so
     * iteration (and the rendered diagram) follows declaration order in every JVM run; Set.of's
     * order changes between runs.
     */
    static final Set<MachineState> RESCUE_RETURN_STATES = Collections.unmodifiableSet(
            EnumSet.of(MachineState.ACTIVE, MachineState.DRAINING, MachineState.INSTALLED, MachineState.FAILED));

    private final MachineState fixed;
    private final String label;

    private Target(MachineState fixed, String label) {
        this.fixed = fixed;
        this.label = label;
    }

    public static Target to(MachineState state) {
        return new Target(Objects.requireNonNull(state), state.name());
    }

    /** The concrete state, given the machine's memory of where it was. */
    public MachineState resolve(MachineState from, MachineState lastStable, MachineState returnState) {
        if (fixed != null) {
            return fixed;
        }
        if (this == SAME) {
            return from;
        }
        return this == LAST_STABLE ? Objects.requireNonNull(lastStable, "last stable state")
                : Objects.requireNonNull(returnState, "state before rescue");
    }

    /** Every state this target can lead to (for reachability checks and diagrams). */
    public Set<MachineState> possibleStates(MachineState from) {
        if (fixed != null) {
            return Set.of(fixed);
        }
        if (this == SAME) {
            return from == null ? Set.of() : Set.of(from);
        }
        return this == LAST_STABLE ? MachineState.STABLE : RESCUE_RETURN_STATES;
    }

    public boolean isFixed() {
        return fixed != null;
    }

    @Override
    public String toString() {
        return label;
    }
}
