package com.ultracloud.deployer.machine.saga;

import com.ultracloud.deployer.machine.api.MachineId;

/** The payload of an install deadline: whose install, and the state it must have left by then. */
public record InstallDeadline(MachineId machineId, String phase) {
}
