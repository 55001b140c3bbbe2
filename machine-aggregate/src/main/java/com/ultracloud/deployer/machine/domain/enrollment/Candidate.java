package com.ultracloud.deployer.machine.domain.enrollment;

import com.ultracloud.deployer.protocol.MachineInventory;

/**
 * The machine being matched: its id, its announced facts and, when it is already assigned, its
 * hostname (kept when the matching rule can still produce it).
 */
public record Candidate(String machineId, MachineInventory facts, String currentHostname) {
}
