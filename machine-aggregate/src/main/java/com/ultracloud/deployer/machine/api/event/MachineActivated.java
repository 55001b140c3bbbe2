package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;

/** First healthy boot of the installed system. */
public record MachineActivated(MachineId machineId, String runningSystem, MachineState state) implements StateChanged {
}
