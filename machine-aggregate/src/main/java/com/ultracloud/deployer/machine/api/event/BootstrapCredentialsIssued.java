package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.IssuedCredentials;
import com.ultracloud.deployer.machine.api.MachineId;

/** Credentials for this machine exist (sealed elsewhere); only public facts are recorded. */
public record BootstrapCredentialsIssued(MachineId machineId, String planId, IssuedCredentials credentials) implements MachineEvent {
}
