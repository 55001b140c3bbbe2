package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;

/** Rescue ended. */
public record RescueExited(MachineId machineId, MachineState state) implements StateChanged {
}
