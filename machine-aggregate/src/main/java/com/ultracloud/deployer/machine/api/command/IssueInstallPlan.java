package com.ultracloud.deployer.machine.api.command;

import com.ultracloud.deployer.machine.api.InstallPlanSummary;
import com.ultracloud.deployer.machine.api.IssuedCredentials;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.protocol.InstallPlan;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Issued by the install saga: credentials were created and a plan rendered for this machine.
 * {@code detail} is the whole plan (no secrets; null in histories recorded before it existed).
 */
public record IssueInstallPlan(@TargetAggregateIdentifier MachineId machineId, IssuedCredentials credentials,
                               InstallPlanSummary plan, InstallPlan detail) {

    public IssueInstallPlan(MachineId machineId, IssuedCredentials credentials, InstallPlanSummary plan) {
        this(machineId, credentials, plan, null);
    }
}
