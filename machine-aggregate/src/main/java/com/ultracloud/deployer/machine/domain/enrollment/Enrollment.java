package com.ultracloud.deployer.machine.domain.enrollment;

import com.ultracloud.deployer.machine.api.HardwareRequirements;
import com.ultracloud.deployer.machine.api.NodeAssignment;

import java.util.List;

/**
 * The outcome of matching one machine against the intent.
 *
 * @param matched        {@code node:<nodeId>}, {@code rule:<name>}, or null when nothing matched
 * @param assignment     what the machine would be assigned (null when nothing matched)
 * @param requirements   the minimum traits of the assigned class (NONE when nothing matched)
 * @param explanation    one line per candidate: which matched, and for every other rule the first
 *                       selector that failed
 */
public record Enrollment(String matched, NodeAssignment assignment, HardwareRequirements requirements,
                         boolean autoInspect, boolean autoCommission, boolean autoInstall,
                         List<String> explanation, Long intentGeneration) {

    public static final String NODE_PREFIX = "node:";
    public static final String RULE_PREFIX = "rule:";

    public Enrollment {
        explanation = List.copyOf(explanation);
    }

    public boolean isMatched() {
        return matched != null;
    }

    /** The same outcome with one more line of explanation at the end. */
    public Enrollment explainedFurther(String line) {
        List<String> lines = new java.util.ArrayList<>(explanation);
        lines.add(line);
        return new Enrollment(matched, assignment, requirements, autoInspect, autoCommission, autoInstall, lines,
                intentGeneration);
    }

    /** No intent in force: nothing can match. */
    public static Enrollment noIntent() {
        return new Enrollment(null, null, HardwareRequirements.NONE, false, false, false,
                List.of("no cluster intent has been imported (PUT /api/v1/cluster/intent): the machine waits for an operator"),
                null);
    }
}
