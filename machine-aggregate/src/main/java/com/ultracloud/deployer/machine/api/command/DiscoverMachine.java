package com.ultracloud.deployer.machine.api.command;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.protocol.MachineInventory;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The installer booted and announced itself; creates the machine if it is new. {@code factsDigest} makes
 * rediscovery idempotent. {@code installerKeyFingerprint}: the fingerprint of the installer's public key
 * (null when it sent none); {@code rebindNeedsApproval}: deployer.bootstrap.rebind=operator.
 * {@code rescueReady}: a rescue installer says the operators' keys are in place and sshd runs (issue 11).
 */
public record DiscoverMachine(@TargetAggregateIdentifier MachineId machineId, String fingerprint, MachineInventory facts,
                              String factsDigest, String installerKeyFingerprint, boolean rebindNeedsApproval,
                              boolean rescueReady) {

    public DiscoverMachine(MachineId machineId, String fingerprint, MachineInventory facts, String factsDigest,
                           String installerKeyFingerprint, boolean rebindNeedsApproval) {
        this(machineId, fingerprint, facts, factsDigest, installerKeyFingerprint, rebindNeedsApproval, false);
    }

    /** A discover without an installer key. */
    public DiscoverMachine(MachineId machineId, String fingerprint, MachineInventory facts, String factsDigest) {
        this(machineId, fingerprint, facts, factsDigest, null, false, false);
    }
}
