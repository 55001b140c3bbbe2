package com.ultracloud.deployer.machine.api.command;

import com.ultracloud.deployer.machine.api.MachineId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The installer reports that the install succeeded. */
public record CompleteInstall(@TargetAggregateIdentifier MachineId machineId, String planId) {
}
