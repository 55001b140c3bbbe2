package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;

import java.util.List;

/**
 * The rescue installer wrote the operators' SSH keys, started sshd and can be reached at {@code addresses}
 * (the addresses of its discover facts). Recorded again only when the addresses change.
 */
public record RescueReady(MachineId machineId, List<String> addresses) implements MachineEvent {
    public RescueReady {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }
}
