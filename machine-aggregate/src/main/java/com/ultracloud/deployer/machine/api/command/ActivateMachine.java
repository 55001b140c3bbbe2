package com.ultracloud.deployer.machine.api.command;

import com.ultracloud.deployer.machine.api.MachineId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** First boot: the nix-agent reports the installed system healthy. */
public record ActivateMachine(@TargetAggregateIdentifier MachineId machineId, String runningSystem) {
}
