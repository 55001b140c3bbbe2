package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;

/**
 * The first installer to discover the install-pending machine with a key: the plan's secrets are sealed
 * to that key (its SHA-256 fingerprint here; the key itself is public but stays out of events) until the
 * install ends or another key is approved.
 */
public record InstallerKeyBound(MachineId machineId, String keyFingerprint) implements MachineEvent {
}
