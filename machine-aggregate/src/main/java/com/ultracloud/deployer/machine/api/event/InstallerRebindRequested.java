package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;

/**
 * An installer with another key than the bound one discovered the install-pending machine, and
 * deployer.bootstrap.rebind=operator: nothing is rotated, the bound installer may go on, and the new key
 * gets no token until an operator approves it ({@code approve-installer}).
 */
public record InstallerRebindRequested(MachineId machineId, String currentKeyFingerprint, String keyFingerprint)
        implements MachineEvent {
}
