package com.ultracloud.deployer.machine.api.command;

import com.ultracloud.deployer.machine.api.MachineId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** Start emptying the machine before maintenance. */
public record DrainMachine(@TargetAggregateIdentifier MachineId machineId, @TargetAggregateVersion Long expectedVersion) {
}
