package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;

/** The installer booted a machine in rescue and was given rescue instructions. */
public record RescueBooted(MachineId machineId) implements MachineEvent {
}
