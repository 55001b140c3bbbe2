package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.NodeAssignment;

/** The machine's class, pool, hostname, node id and labels. */
public record NodeAssigned(MachineId machineId, NodeAssignment assignment) implements MachineEvent {
}
