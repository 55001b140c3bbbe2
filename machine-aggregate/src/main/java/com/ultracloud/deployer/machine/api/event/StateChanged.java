package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineState;

/** An event after which the machine is in {@link #state()} (which may equal the state before). */
public interface StateChanged extends MachineEvent {
    MachineState state();
}
