package com.ultracloud.deployer.machine.api.command;

import com.ultracloud.deployer.machine.api.MachineId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/**
 * An operator approves the installer key that awaits approval (deployer.bootstrap.rebind=operator).
 * {@code keyFingerprint}, when given, must be that key: the operator approves what they checked on the
 * machine's console, not whatever key asked last.
 */
public record ApproveInstallerRebind(@TargetAggregateIdentifier MachineId machineId, String keyFingerprint,
                                     @TargetAggregateVersion Long expectedVersion) {
}
