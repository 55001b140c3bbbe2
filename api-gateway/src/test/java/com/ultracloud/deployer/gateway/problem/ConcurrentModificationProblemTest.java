package com.ultracloud.deployer.gateway.problem;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.servlet.HandlerMapping;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 409 {@code concurrent-modification} names the machine however the race was lost: a stale {@code If-Match}
 * (Axon names the aggregate) or an append that met the event store's unique (aggregate, sequence) key, whose
 * exception names none (ReplicaConflictIT met those without a {@code machineId}).
 */
class ConcurrentModificationProblemTest {

    private static final String MACHINE = "5d1f0a8e-3c2b-4b7a-9f00-1234567890ab";
    private final ProblemAdvice advice = new ProblemAdvice();

    @Test
    void anAppendThatLostTheRaceNamesTheMachineOfThePath() {
        ResponseEntity<ProblemDetail> answer = advice.concurrent(new ConcurrencyException(
                "An event for aggregate [" + MACHINE + "] at sequence [4] was already inserted"), action(MACHINE.toUpperCase()));

        assertThat(answer.getStatusCode().value()).isEqualTo(409);
        ProblemDetail p = answer.getBody();
        assertThat(p.getType().toString()).isEqualTo("urn:ultracloud:problem:concurrent-modification");
        assertThat(p.getProperties()).containsEntry("machineId", MACHINE).containsEntry("retryable", true)
                .doesNotContainKey("currentVersion");
    }

    @Test
    void aRaceLostInsideTheCommandBusNamesTheMachineToo() {
        ResponseEntity<ProblemDetail> answer = advice.refused(new CommandExecutionException("lost", new ConcurrencyException(
                "An event for aggregate [" + MACHINE + "] at sequence [4] was already inserted")), action(MACHINE));

        assertThat(answer.getBody().getProperties()).containsEntry("machineId", MACHINE).containsEntry("retryable", true);
    }

    @Test
    void aRaceToCreateTheSameAggregateIsAConcurrentModificationToo() {
        ResponseEntity<ProblemDetail> answer = advice.concurrent(new AggregateStreamCreationException(
                "Cannot reuse aggregate identifier [" + MACHINE + "] to create aggregate [Machine]"), action(MACHINE));

        assertThat(answer.getStatusCode().value()).isEqualTo(409);
        assertThat(answer.getBody().getType().toString()).isEqualTo("urn:ultracloud:problem:concurrent-modification");
        assertThat(answer.getBody().getProperties()).containsEntry("machineId", MACHINE).containsEntry("retryable", true);
        assertThat(advice.refused(new CommandExecutionException("lost", new AggregateStreamCreationException("lost")),
                action(MACHINE)).getStatusCode().value()).isEqualTo(409);
    }

    @Test
    void aStaleIfMatchNamesTheMachineAndItsVersion() {
        ResponseEntity<ProblemDetail> answer = advice.concurrent(new ConflictingAggregateVersionException(MACHINE, 2, 5),
                action(MACHINE));

        assertThat(answer.getBody().getProperties()).containsEntry("machineId", MACHINE).containsEntry("currentVersion", 5L);
    }

    @Test
    void aRaceOnAPathWithoutAMachineNamesNone() {
        MockHttpServletRequest discover = new MockHttpServletRequest("POST", "/api/v1/bootstrap/discover");

        ResponseEntity<ProblemDetail> answer = advice.concurrent(new ConcurrencyException("lost"), discover);

        assertThat(answer.getBody().getProperties()).doesNotContainKey("machineId").containsEntry("retryable", true);
    }

    /** A request as Spring MVC hands it to the advice: the path and its template variables. */
    private static MockHttpServletRequest action(String id) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/machines/" + id + "/drain");
        request.setAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE, Map.of("id", id, "action", "drain"));
        return request;
    }
}
