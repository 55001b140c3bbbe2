package com.ultracloud.deployer.machine.api.command;

import com.ultracloud.deployer.machine.api.MachineId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The installer booted and announced itself; creates the machine if it is new. {@code factsDigest} makes rediscovery idempotent. */
public record DiscoverMachine(@TargetAggregateIdentifier MachineId machineId, String fingerprint, com.ultracloud.deployer.protocol.MachineInventory facts, String factsDigest) {
}
