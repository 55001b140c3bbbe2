package com.ultracloud.deployer.gateway.enrollment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.ultracloud.deployer.machine.api.NodeAssignment;
import com.ultracloud.deployer.machine.domain.enrollment.Enrollment;

import java.util.List;
import java.util.Map;

/**
 * The {@code enrollment} section of a machine's detail: what the intent in force makes of it, and why.
 * {@code matched} is {@code node:<nodeId>}, {@code rule:<name>} or null; {@code assignment} what it
 * would be (or is) assigned; {@code auto} which steps the enrollment policy takes by itself;
 * {@code waitingFor}, for a machine that waits for an operator, the one sentence that says why.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record EnrollmentView(String matched, List<String> explanation, Long intentGeneration,
                             Assignment assignment, Auto auto, String waitingFor) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Assignment(String nodeId, String hostname, String nodeClass, String pool, Map<String, String> labels) {
        static Assignment of(NodeAssignment a) {
            return a == null ? null : new Assignment(a.nodeId(), a.hostname(), a.nodeClass(), a.pool(), a.labels());
        }
    }

    public record Auto(boolean inspect, boolean commission, boolean install) {
    }

    public static EnrollmentView of(Enrollment e) {
        return of(e, null);
    }

    public static EnrollmentView of(Enrollment e, String waitingFor) {
        return new EnrollmentView(e.matched(), e.explanation(), e.intentGeneration(), Assignment.of(e.assignment()),
                e.isMatched() ? new Auto(e.autoInspect(), e.autoCommission(), e.autoInstall()) : null, waitingFor);
    }
}
