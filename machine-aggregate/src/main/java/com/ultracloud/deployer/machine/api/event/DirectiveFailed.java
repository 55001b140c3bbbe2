package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;

/**
 * The machine cannot carry the directive out itself ({@code phase}: {@code agent} said why, {@code acknowledge}: no
 * agent answered in time, {@code boot}: acknowledged but no installer booted in time). The operator boots the
 * installer image; its discover still carries the rescue or reinstall out.
 */
public record DirectiveFailed(MachineId machineId, String directiveId, String kind, String phase, String reason)
        implements MachineEvent {
}
