package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;

/** The installer booted again with changed facts. */
public record InventoryRefreshed(MachineId machineId, com.ultracloud.deployer.protocol.MachineInventory facts, String factsDigest) implements MachineEvent {
}
