package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.IssuedCredentials;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;

/**
 * The machine will be reinstalled; its previous credentials are revoked. {@code directiveId} names the directive its
 * nix-agent gets (a machine running its installed system); null when no agent runs.
 */
public record ReprovisionRequested(MachineId machineId, boolean forced, IssuedCredentials revokedCredentials,
                                   MachineState state, String directiveId) implements StateChanged {
}
