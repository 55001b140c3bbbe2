package com.ultracloud.deployer.machine.api.deployment;

import com.ultracloud.deployer.machine.api.MachineId;

/** A machine the selector covers that the rollout leaves alone, and why (not ACTIVE, unhealthy, owned by a newer deployment). */
public record SkippedMachine(MachineId machineId, String reason) {
}
