package com.ultracloud.deployer.machine.api.command;

import com.ultracloud.deployer.machine.api.MachineId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/**
 * Issued by the install saga: no plan can be made for this machine (no intent, an unknown class or
 * profile, invalid hints, no disk matching the root-device hints); {@code problems} lists every reason.
 */
public record FailInstallPlan(@TargetAggregateIdentifier MachineId machineId, String reason, List<String> problems) {

    public FailInstallPlan {
        problems = problems == null ? List.of() : List.copyOf(problems);
    }
}
