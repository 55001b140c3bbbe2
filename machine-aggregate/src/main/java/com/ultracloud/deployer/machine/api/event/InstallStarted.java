package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;

/** The installer fetched the plan; attempt {@code attempt} began. */
public record InstallStarted(MachineId machineId, String planId, int attempt, MachineState state) implements StateChanged {
}
