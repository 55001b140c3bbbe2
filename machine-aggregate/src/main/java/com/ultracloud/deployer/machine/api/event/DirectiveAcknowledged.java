package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;

/** The agent loaded the installer for the directive and kexecs into it; its discover comes next. */
public record DirectiveAcknowledged(MachineId machineId, String directiveId, String kind) implements MachineEvent {
}
