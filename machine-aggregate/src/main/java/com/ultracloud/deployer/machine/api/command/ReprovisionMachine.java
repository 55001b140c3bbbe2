package com.ultracloud.deployer.machine.api.command;

import com.ultracloud.deployer.machine.api.MachineId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** Reinstall the machine (credentials are rotated); {@code force} allows it from ACTIVE. */
public record ReprovisionMachine(@TargetAggregateIdentifier MachineId machineId, boolean force, @TargetAggregateVersion Long expectedVersion) {
}
