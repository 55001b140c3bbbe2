package com.ultracloud.deployer.machine.api.command;

import com.ultracloud.deployer.machine.api.MachineId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** Take the machine out of the fleet; credentials are revoked and secrets shredded. */
public record RetireMachine(@TargetAggregateIdentifier MachineId machineId, @TargetAggregateVersion Long expectedVersion) {
}
