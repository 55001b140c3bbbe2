package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.HardwareRequirements;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;

/** The machine's facts do not meet the requirements; {@code unmet} lists every shortfall. */
public record InspectionFailed(MachineId machineId, HardwareRequirements requirements, java.util.List<String> unmet, MachineState state) implements StateChanged {
}
