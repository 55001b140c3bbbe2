package com.ultracloud.deployer.machine.lifecycle;

import com.ultracloud.deployer.machine.api.LifecycleAction;
import com.ultracloud.deployer.machine.api.MachineState;

import java.util.List;

/**
 * One row of the lifecycle table: from {@code from} (null: the machine does not exist yet),
 * {@code action} under {@code when} emits {@code events}, in order, and leads to {@code to}.
 */
public record Transition(MachineState from, LifecycleAction action, Condition when, List<Class<?>> events,
                         Target to, String note) {
    public Transition {
        events = List.copyOf(events);
    }

    public boolean createsMachine() {
        return from == null;
    }

    public List<String> eventNames() {
        return events.stream().map(Class::getSimpleName).toList();
    }
}
