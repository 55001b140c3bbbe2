package com.ultracloud.deployer.projection.rollout;

import com.ultracloud.deployer.machine.api.deployment.HostDeploymentSpec;
import com.ultracloud.deployer.machine.api.deployment.MachineSelector;

import java.util.ArrayList;
import java.util.List;

/** A deployment's spec in one line for lists: what it selects, what it rolls out, and how fast. */
final class SpecSummary {

    private SpecSummary() {
    }

    static String of(HostDeploymentSpec spec) {
        if (spec == null) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        MachineSelector s = spec.selector();
        if (s != null) {
            if (!s.nodeClasses().isEmpty()) parts.add("classes " + String.join(",", s.nodeClasses()));
            if (!s.pools().isEmpty()) parts.add("pools " + String.join(",", s.pools()));
            if (!s.labels().isEmpty()) parts.add("labels " + new java.util.TreeMap<>(s.labels()));
            if (!s.hostnames().isEmpty()) parts.add("hosts " + String.join(",", s.hostnames()));
            if (!s.machineIds().isEmpty()) parts.add(s.machineIds().size() + " machine id(s)");
        }
        String system = spec.system() == null ? "?" : spec.system().describe();
        return String.join("; ", parts) + " -> " + system + " (batch " + spec.batchSize() + ", max unavailable "
                + spec.maxUnavailable() + ", " + (spec.drain() != null && spec.drain().drainsFirst() ? "drain first" : "no drain")
                + ", failure threshold " + spec.failureThreshold() + ")";
    }
}
