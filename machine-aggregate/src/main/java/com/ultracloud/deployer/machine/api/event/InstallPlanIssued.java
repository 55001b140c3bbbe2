package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.InstallPlanSummary;
import com.ultracloud.deployer.machine.api.MachineId;

/** An install plan is ready for the installer to fetch. */
public record InstallPlanIssued(MachineId machineId, InstallPlanSummary plan) implements MachineEvent {
}
