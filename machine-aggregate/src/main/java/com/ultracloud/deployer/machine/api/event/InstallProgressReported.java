package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;

/** A step of the install. */
public record InstallProgressReported(MachineId machineId, String planId, String step, Integer percent, String message) implements MachineEvent {
}
