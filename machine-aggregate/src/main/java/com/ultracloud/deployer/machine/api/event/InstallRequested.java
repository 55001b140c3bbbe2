package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;

/** An install was requested; the install saga takes it from here. */
public record InstallRequested(MachineId machineId, int attemptLimit, MachineState state) implements StateChanged {
}
