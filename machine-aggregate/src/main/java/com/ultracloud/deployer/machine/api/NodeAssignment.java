package com.ultracloud.deployer.machine.api;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where a commissioned machine belongs. {@code matchedRule} is the enrollment rule that produced it
 * (null for an explicit operator assignment); {@code intentGeneration} the cluster intent it was made from.
 */
public record NodeAssignment(String nodeId, String hostname, String nodeClass, String pool,
                             Map<String, String> labels, String matchedRule, Long intentGeneration) {
    public NodeAssignment {
        labels = labels == null ? Map.of() : Map.copyOf(new TreeMap<>(labels));
    }
}
