package com.ultracloud.deployer.gateway.agent;

import com.ultracloud.deployer.gateway.problem.Problems;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.core.annotation.Order;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * The machine-facing HTTPS port serves the machine-facing APIs only (bootstrap, agent, the installer's netboot image): the operator API,
 * the console and the actuator stay on the main port, so exposing this one to the machines' network exposes
 * nothing else.
 */
@Component
// before Spring Security: on this port the operator API does not exist, whatever the credential
@Order(SecurityProperties.DEFAULT_FILTER_ORDER - 1)
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
        return request.getLocalPort() != endpoint.port() || path.startsWith("/api/v1/bootstrap/") || path.startsWith("/api/v1/agent/")
                || path.startsWith(DirectiveAnswers.IMAGE_PATH + "/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Problems.write(response, json, Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found",
                "the machine-facing HTTPS port serves /api/v1/bootstrap/, /api/v1/agent/ and /images/installer/ only", request));
    }
}
