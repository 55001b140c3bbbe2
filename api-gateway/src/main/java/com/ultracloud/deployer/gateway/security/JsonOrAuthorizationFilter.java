package com.ultracloud.deployer.gateway.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.gateway.problem.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Set;

/**
 * The deployer's CSRF rule, in place of tokens (there are no cookies to ride on): a state-changing
 * request needs {@code Content-Type: application/json} (any parameters, also with an empty body) or an
 * {@code Authorization} header. A cross-origin page can send neither without a CORS preflight, which
 * the deployer never grants, so it cannot make one; refused with 415.
 */
final class JsonOrAuthorizationFilter extends OncePerRequestFilter {

    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final ObjectMapper json;

    JsonOrAuthorizationFilter(ObjectMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!WRITES.contains(request.getMethod()) || request.getHeader(HttpHeaders.AUTHORIZATION) != null
                || isJson(request.getContentType())) {
            chain.doFilter(request, response);
            return;
        }
        Problems.write(response, json, Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "json-or-authorization-required",
                "JSON or Authorization required", "a " + request.getMethod() + " needs Content-Type: application/json "
                        + "(also with an empty body) or an Authorization header; this keeps cross-site pages from "
                        + "making state-changing requests (docs/security.md)", request));
    }

    static boolean isJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return "application".equalsIgnoreCase(type.getType()) && "json".equalsIgnoreCase(type.getSubtype());
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }
}
