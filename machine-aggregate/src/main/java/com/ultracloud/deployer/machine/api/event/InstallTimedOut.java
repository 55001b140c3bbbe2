package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;

/** The install did not progress before its deadline. */
public record InstallTimedOut(MachineId machineId, String phase, MachineState state) implements StateChanged {
}
