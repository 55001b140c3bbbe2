package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;

/** Draining began. */
public record DrainStarted(MachineId machineId, MachineState state) implements StateChanged {
}
