package com.ultracloud.deployer.machine.api.command;

import com.ultracloud.deployer.machine.api.MachineId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** Check the machine's facts against the requirements (of its node class, once known). */
public record InspectMachine(@TargetAggregateIdentifier MachineId machineId, com.ultracloud.deployer.machine.api.HardwareRequirements requirements, @TargetAggregateVersion Long expectedVersion) {
}
