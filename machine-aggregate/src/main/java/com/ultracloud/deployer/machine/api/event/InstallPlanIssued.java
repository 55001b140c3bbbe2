package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.InstallPlanSummary;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.protocol.InstallPlan;

/**
 * An install plan is ready for the installer to fetch. {@code detail} is the whole plan as the
 * installer receives it, without secrets, so the install-plan read model can be rebuilt from events.
 */
public record InstallPlanIssued(MachineId machineId, InstallPlanSummary plan, InstallPlan detail) implements MachineEvent {

    public InstallPlanIssued(MachineId machineId, InstallPlanSummary plan) {
        this(machineId, plan, null);
    }
}
