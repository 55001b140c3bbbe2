package com.ultracloud.deployer.machine.api.command;

import com.ultracloud.deployer.machine.api.MachineId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The node's agent has loaded the installer for directive {@code directiveId} and kexecs into it now. */
public record AcknowledgeDirective(@TargetAggregateIdentifier MachineId machineId, String directiveId) {
}
