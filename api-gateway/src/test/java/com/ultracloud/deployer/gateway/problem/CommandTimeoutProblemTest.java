package com.ultracloud.deployer.gateway.problem;

import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.servlet.HandlerMapping;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A command that did not answer in time is temporary (503, Retry-After) and says it may still take effect. */
class CommandTimeoutProblemTest {

    private static final String MACHINE = "5d1f0a8e-3c2b-4b7a-9f00-1234567890ab";

    @Test
    void aCommandTimeoutIsA503ThatNamesTheMachineAndSaysToReRead() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/machines/" + MACHINE + "/install");
        request.setAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE, Map.of("id", MACHINE, "action", "install"));

        ResponseEntity<ProblemDetail> answer = new ProblemAdvice().commandTimeout(
                new CommandTimeoutException("InstallMachine", 30), request);

        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("5");
        assertThat(answer.getHeaders().getContentType()).hasToString("application/problem+json");
        ProblemDetail p = answer.getBody();
        assertThat(p.getType()).hasToString("urn:ultracloud:problem:command-timeout");
        assertThat(p.getDetail()).contains("InstallMachine", "30 s", "may still take effect", "re-read");
        assertThat(p.getProperties()).containsEntry("machineId", MACHINE);
    }
}
