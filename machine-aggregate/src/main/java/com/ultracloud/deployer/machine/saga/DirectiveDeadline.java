package com.ultracloud.deployer.machine.saga;

import com.ultracloud.deployer.machine.api.MachineId;

/** The payload of a directive deadline: whose directive, and the phase it must have left by then. */
public record DirectiveDeadline(MachineId machineId, String directiveId, String phase, long seconds) {
}
