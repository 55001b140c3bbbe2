package com.ultracloud.deployer.machine.api.command;

import com.ultracloud.deployer.machine.api.MachineId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A deadline: the install did not progress in time ({@code phase} names the state it was stuck in). */
public record TimeOutInstall(@TargetAggregateIdentifier MachineId machineId, String phase) {
}
