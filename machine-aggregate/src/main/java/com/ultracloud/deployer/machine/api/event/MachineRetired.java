package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.IssuedCredentials;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;

/** Out of the fleet; credentials revoked and secrets shredded. */
public record MachineRetired(MachineId machineId, IssuedCredentials revokedCredentials, MachineState state) implements StateChanged {
}
