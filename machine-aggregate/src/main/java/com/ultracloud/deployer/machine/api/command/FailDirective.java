package com.ultracloud.deployer.machine.api.command;

import com.ultracloud.deployer.machine.api.MachineId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Directive {@code directiveId} cannot be carried out by the machine itself: the agent said why, or a deadline
 * passed ({@code phase} {@code acknowledge}: no agent answered; {@code boot}: acknowledged, but no installer booted).
 */
public record FailDirective(@TargetAggregateIdentifier MachineId machineId, String directiveId, String phase, String reason) {

    public static final String AGENT = "agent";
    public static final String ACKNOWLEDGE = "acknowledge";
    public static final String BOOT = "boot";
}
