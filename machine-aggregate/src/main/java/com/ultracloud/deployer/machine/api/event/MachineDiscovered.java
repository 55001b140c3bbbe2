package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;

/** A machine announced itself for the first time (or again after retirement: a new generation). */
public record MachineDiscovered(MachineId machineId, long generation, String fingerprint, com.ultracloud.deployer.protocol.MachineInventory facts, String factsDigest, MachineState state) implements StateChanged {
}
