package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;

/** Declared failed, with the reason and by whom. */
public record MachineMarkedFailed(MachineId machineId, String reason, String by, MachineState previousState, MachineState state) implements StateChanged {
}
