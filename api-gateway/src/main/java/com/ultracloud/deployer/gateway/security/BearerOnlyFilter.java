package com.ultracloud.deployer.gateway.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Operator credentials are bearer tokens only: any other {@code Authorization} scheme (Basic, DPoP,
 * Digest, …) is answered 401 problem+json here, before Spring Security's own handlers for those
 * schemes would answer in their formats.
 */
final class BearerOnlyFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";

    private final SecurityProblems problems;

    BearerOnlyFilter(SecurityProblems problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            chain.doFilter(request, response);
            return;
        }
        problems.commence(request, response, new InvalidBearerTokenException(
                "the Authorization header must be 'Bearer <API token or OIDC JWT>'"));
    }
}
