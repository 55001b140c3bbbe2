package com.ultracloud.deployer.machine.api.command;

import com.ultracloud.deployer.machine.api.MachineId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** An operator (or a controller) declares the machine failed. */
public record MarkMachineFailed(@TargetAggregateIdentifier MachineId machineId, String reason, @TargetAggregateVersion Long expectedVersion) {
}
