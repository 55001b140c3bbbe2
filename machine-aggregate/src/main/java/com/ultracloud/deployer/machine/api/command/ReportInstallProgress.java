package com.ultracloud.deployer.machine.api.command;

import com.ultracloud.deployer.machine.api.MachineId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The installer reports a step of the install. */
public record ReportInstallProgress(@TargetAggregateIdentifier MachineId machineId, String planId, String step, Integer percent, String message) {
}
