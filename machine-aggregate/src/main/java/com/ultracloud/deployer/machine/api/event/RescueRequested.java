package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;

/**
 * The machine goes to rescue; {@code returnState} is where exit-rescue brings it back. {@code directiveId} names the
 * directive its nix-agent gets (a machine running its installed system); null when no agent runs (the operator boots
 * the installer image).
 */
public record RescueRequested(MachineId machineId, MachineState returnState, MachineState state, String directiveId)
        implements StateChanged {
}
