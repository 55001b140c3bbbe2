package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;

/** The machine joined the fleet under an assignment (see NodeAssigned). */
public record MachineCommissioned(MachineId machineId, MachineState state) implements StateChanged {
}
