package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;

/** The machine goes to rescue; {@code returnState} is where exit-rescue brings it back. */
public record RescueRequested(MachineId machineId, MachineState returnState, MachineState state) implements StateChanged {
}
