package com.ultracloud.deployer.machine.api.command;

import com.ultracloud.deployer.machine.api.MachineId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** Assign the machine to a class and pool, with hostname and node id. */
public record CommissionMachine(@TargetAggregateIdentifier MachineId machineId, com.ultracloud.deployer.machine.api.NodeAssignment assignment, @TargetAggregateVersion Long expectedVersion) {
}
