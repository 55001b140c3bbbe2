package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.HardwareRequirements;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;

/** The machine's facts meet the requirements. */
public record MachineInspected(MachineId machineId, HardwareRequirements requirements, MachineState state) implements StateChanged {
}
