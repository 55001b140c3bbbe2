package com.ultracloud.deployer.machine.api.deployment;

import com.ultracloud.deployer.machine.api.MachineId;

import java.util.List;
import java.util.Map;

/**
 * Which machines a deployment covers: a machine matches when it is in one of {@code nodeClasses} (if any are
 * named), in one of {@code pools} (if any), carries every label in {@code labels}, and, when
 * {@code hostnames} or {@code machineIds} name explicit machines, is one of them. An empty selector would
 * cover the whole fleet and is refused.
 */
public record MachineSelector(List<String> nodeClasses, List<String> pools, Map<String, String> labels,
                              List<String> hostnames, List<MachineId> machineIds) {

    public MachineSelector {
        nodeClasses = nodeClasses == null ? List.of() : List.copyOf(nodeClasses);
        pools = pools == null ? List.of() : List.copyOf(pools);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        hostnames = hostnames == null ? List.of() : List.copyOf(hostnames);
        machineIds = machineIds == null ? List.of() : List.copyOf(machineIds);
    }

    public static MachineSelector machines(MachineId... ids) {
        return new MachineSelector(null, null, null, null, List.of(ids));
    }

    public static MachineSelector pool(String pool) {
        return new MachineSelector(null, List.of(pool), null, null, null);
    }

    /** Nothing named: such a selector would cover the whole fleet (not a getter, so Jackson leaves it out). */
    public boolean coversEverything() {
        return nodeClasses.isEmpty() && pools.isEmpty() && labels.isEmpty() && hostnames.isEmpty() && machineIds.isEmpty();
    }

    /** Whether a machine with this assignment is covered: every part that names something must match. */
    public boolean matches(MachineId machineId, String hostname, String nodeClass, String pool, Map<String, String> machineLabels) {
        if (coversEverything()) {
            return false;
        }
        boolean explicit = !hostnames.isEmpty() || !machineIds.isEmpty();
        if (explicit && !hostnames.contains(hostname) && !machineIds.contains(machineId)) {
            return false;
        }
        if (!nodeClasses.isEmpty() && !nodeClasses.contains(nodeClass)) {
            return false;
        }
        if (!pools.isEmpty() && !pools.contains(pool)) {
            return false;
        }
        Map<String, String> have = machineLabels == null ? Map.of() : machineLabels;
        return labels.entrySet().stream().allMatch(l -> l.getValue().equals(have.get(l.getKey())));
    }
}
