package com.ultracloud.deployer.gateway.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.net.URI;

/**
 * The machine-facing HTTPS port serves the machine-facing APIs only (bootstrap, agent): the operator API,
 * the console and the actuator stay on the main port, so exposing this one to the machines' network exposes
 * nothing else.
 */
@Component
class MachinePortFilter extends OncePerRequestFilter {

    private final MachineTlsEndpoint endpoint;
    private final ObjectMapper json;

    MachinePortFilter(MachineTlsEndpoint endpoint, ObjectMapper json) {
        this.endpoint = endpoint;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return request.getLocalPort() != endpoint.port() || path.startsWith("/api/v1/bootstrap/") || path.startsWith("/api/v1/agent/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "the machine-facing HTTPS port serves /api/v1/bootstrap/ and /api/v1/agent/ only");
        problem.setType(URI.create("urn:ultracloud:problem:not-found"));
        problem.setTitle("Not found");
        problem.setInstance(URI.create(request.getRequestURI()));
        response.setStatus(HttpStatus.NOT_FOUND.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
