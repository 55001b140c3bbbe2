package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;

/** Every event of a Machine names it. */
public interface MachineEvent {
    MachineId machineId();
}
