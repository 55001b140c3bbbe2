package com.ultracloud.deployer.machine.command;

import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.event.MachineEvent;
import com.ultracloud.deployer.machine.api.event.StateChanged;
import com.ultracloud.deployer.machine.lifecycle.Lifecycle;
import com.ultracloud.deployer.machine.lifecycle.Transition;

import java.util.List;

/**
 * A machine's history folded, event by event, through the real aggregate ({@link Machine}'s own event-sourcing
 * handler), each event checked against the lifecycle table first: what {@code deployer-ctl debug replay} does with a
 * history exported as JSON Lines (docs/debugging.md). No server, no event store.
 */
public final class MachineReplay {

    /** One event: its sequence and type, the state before and after it, and why the table refuses it (null: it does not). */
    public record Step(long sequence, String type, MachineState before, MachineState after, String rejection) {
    }

    private final Machine machine = new Machine();
    /** The events still to come of the row the previous event began (a row may record several, e.g. commission). */
    private List<Class<?>> rest = List.of();

    public Step apply(long sequence, MachineEvent event) {
        MachineState before = machine.state();
        String rejection = null;
        if (!rest.isEmpty() && rest.get(0) == event.getClass()) {
            rest = rest.subList(1, rest.size()); // the same command's next event: its row was checked with the first
        } else {
            MachineState to = event instanceof StateChanged s ? s.state() : null;
            rejection = Lifecycle.rejection(before, event.getClass(), to, machine.lastStable(), machine.returnState())
                    .orElse(null);
            rest = Lifecycle.rowsRecording(before, event.getClass()).stream().map(Transition::events).findFirst()
                    .map(events -> events.subList(events.indexOf(event.getClass()) + 1, events.size())).orElse(List.of());
        }
        machine.on(event);
        return new Step(sequence, event.getClass().getSimpleName(), before, machine.state(), rejection);
    }
}
