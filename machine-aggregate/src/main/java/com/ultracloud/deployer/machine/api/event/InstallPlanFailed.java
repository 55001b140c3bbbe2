package com.ultracloud.deployer.machine.api.event;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;

import java.util.List;

/**
 * No install plan could be rendered: the machine goes FAILED and shows why ({@code reason}, and every
 * {@code problem}, e.g. why each disk was rejected as root device). Recover returns it to COMMISSIONED.
 */
public record InstallPlanFailed(MachineId machineId, String reason, List<String> problems, MachineState state)
        implements StateChanged {

    public InstallPlanFailed {
        problems = problems == null ? List.of() : List.copyOf(problems);
    }
}
