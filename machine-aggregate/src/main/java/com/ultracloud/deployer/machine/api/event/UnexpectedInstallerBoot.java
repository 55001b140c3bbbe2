package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;

/** The installer booted on a machine that is installed; recorded for an operator to decide. */
public record UnexpectedInstallerBoot(MachineId machineId, MachineState stateAtBoot, String factsDigest) implements MachineEvent {
}
