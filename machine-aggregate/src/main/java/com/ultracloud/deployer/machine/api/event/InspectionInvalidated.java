package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.IssuedCredentials;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;

import java.util.List;

/**
 * The installer announced other hardware ({@code changed}: identity, nics, disks, cpu, memoryBytes, boot)
 * than the machine's install was planned for: the pending install is called off, its credentials
 * ({@code revokedCredentials}, null when none were issued) revoked, and the machine must be inspected
 * again before any new plan. The new facts come with the InventoryRefreshed just before; the old ones
 * stay in the history.
 */
public record InspectionInvalidated(MachineId machineId, String previousFactsDigest, String factsDigest,
                                    List<String> changed, IssuedCredentials revokedCredentials, MachineState state)
        implements StateChanged {
    public InspectionInvalidated {
        changed = changed == null ? List.of() : List.copyOf(changed);
    }
}
