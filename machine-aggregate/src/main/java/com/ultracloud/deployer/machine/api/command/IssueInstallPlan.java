package com.ultracloud.deployer.machine.api.command;

import com.ultracloud.deployer.machine.api.MachineId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Issued by the install saga: credentials were created and a plan rendered for this machine. */
public record IssueInstallPlan(@TargetAggregateIdentifier MachineId machineId, com.ultracloud.deployer.machine.api.IssuedCredentials credentials, com.ultracloud.deployer.machine.api.InstallPlanSummary plan) {
}
