package com.ultracloud.deployer.machine.api.command;

import com.ultracloud.deployer.machine.api.MachineId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** The machine is empty. */
public record CompleteDrain(@TargetAggregateIdentifier MachineId machineId, @TargetAggregateVersion Long expectedVersion) {
}
