package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;

/** The machine is drained (still DRAINING, now drained). */
public record DrainCompleted(MachineId machineId, MachineState state) implements StateChanged {
}
