package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;

/** The drain was cancelled; back to ACTIVE. */
public record DrainCancelled(MachineId machineId, MachineState state) implements StateChanged {
}
