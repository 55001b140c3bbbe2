package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;

/** The installer rebooted mid-install; the attempt counts as used. */
public record InstallAttemptAbandoned(MachineId machineId, int attempt, int attemptLimit, MachineState state) implements StateChanged {
}
