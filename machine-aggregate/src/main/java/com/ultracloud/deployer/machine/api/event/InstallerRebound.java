package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.IssuedCredentials;
import com.ultracloud.deployer.machine.api.MachineId;

/**
 * The install-pending machine's secrets now go to another installer key (the installer rebooted, or
 * someone else booted the image): the old install token is revoked, the credentials the old key may hold
 * ({@code revokedCredentials}, null when none were issued yet) are revoked, and the install saga issues
 * new ones. {@code approvedBy}: {@code automatic} (deployer.bootstrap.rebind=automatic) or the operator.
 */
public record InstallerRebound(MachineId machineId, String previousKeyFingerprint, String keyFingerprint,
                               String approvedBy, IssuedCredentials revokedCredentials) implements MachineEvent {
}
