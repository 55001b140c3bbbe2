package com.ultracloud.deployer.machine.api.command;

import com.ultracloud.deployer.machine.api.MachineId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** Boot the installer in rescue mode at the next opportunity. */
public record RescueMachine(@TargetAggregateIdentifier MachineId machineId, @TargetAggregateVersion Long expectedVersion) {
}
