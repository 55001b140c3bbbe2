package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;

/** The install failed; state is INSTALL_PENDING while attempts remain, else FAILED. */
public record InstallFailed(MachineId machineId, String planId, int attempt, int attemptLimit, String reason, String logTail, MachineState state) implements StateChanged {
}
