package com.ultracloud.deployer.machine.api.query;

import com.ultracloud.deployer.machine.api.MachineId;

/** The machine's current install plan, without secrets; none when no plan was issued. */
public record FindInstallPlan(MachineId machineId) {
}
