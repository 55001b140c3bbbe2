package com.ultracloud.deployer.machine.api.command;

import com.ultracloud.deployer.machine.api.MachineId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The installer fetched the plan and starts installing. */
public record StartInstall(@TargetAggregateIdentifier MachineId machineId, String planId) {
}
