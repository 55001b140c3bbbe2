package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;

/** NixOS is installed. */
public record InstallSucceeded(MachineId machineId, String planId, MachineState state) implements StateChanged {
}
