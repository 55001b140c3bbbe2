package com.ultracloud.deployer.gateway.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.gateway.problem.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.stereotype.Component;

import java.io.IOException;

/**
 * What Spring Security's firewall refuses before any filter or handler runs answers as a problem, as
 * every other refusal does (Spring Security's default answers an empty 400).
 */
@Component
class RejectedRequests implements RequestRejectedHandler {

    private final ObjectMapper json;

    RejectedRequests(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        ProblemDetail problem = Problems.rejected(e, request);
        if (problem.getStatus() == 405) {
            response.setHeader(HttpHeaders.ALLOW, Problems.ALLOWED_METHODS);
        }
        Problems.write(response, json, problem);
    }
}
