package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;

/** Recovered to the last stable state before the failure. */
public record MachineRecovered(MachineId machineId, MachineState state) implements StateChanged {
}
