package com.ultracloud.deployer.machine.api.query;

import com.ultracloud.deployer.machine.api.MachineId;

/** One machine's detail from the inventory read model. */
public record FindMachine(MachineId machineId) {
}
