package com.ultracloud.deployer.machine.api.command;

import com.ultracloud.deployer.machine.api.MachineId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** Ask for the machine to be installed; {@code attemptLimit} bounds retries of a failing install. */
public record RequestInstall(@TargetAggregateIdentifier MachineId machineId, int attemptLimit, @TargetAggregateVersion Long expectedVersion) {
}
