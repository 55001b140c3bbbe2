package com.ultracloud.deployer.machine.api.command;

import com.ultracloud.deployer.machine.api.MachineId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** Return a failed machine to the last stable state it was in before the failure. */
public record RecoverMachine(@TargetAggregateIdentifier MachineId machineId, @TargetAggregateVersion Long expectedVersion) {
}
