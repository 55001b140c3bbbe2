package com.ultracloud.deployer.gateway.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.gateway.problem.DatabaseUnavailable;
import com.ultracloud.deployer.gateway.problem.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

import java.io.IOException;

/**
 * Spring Security's refusals as problem+json, like every other error: 401 with
 * {@code WWW-Authenticate: Bearer} (RFC 6750) when no valid credential came, 403 naming the role the
 * endpoint needs, 503 when the OIDC issuer cannot be reached to check a JWT. Never the token itself.
 */
final class SecurityProblems implements AuthenticationEntryPoint, AccessDeniedHandler {

    static final String REALM = "deployer";

    private final ObjectMapper json;

    SecurityProblems(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        if (e instanceof IdentityProviderUnavailableException) {
            response.setHeader(HttpHeaders.RETRY_AFTER, "30");
            write(response, Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "identity-provider-unavailable",
                    "Identity provider unavailable", e.getMessage(), request));
            return;
        }
        if (DatabaseUnavailable.causes(e)) {
            // the credential could not be checked (API tokens, install tokens live in the database): not a refusal
            response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(DatabaseUnavailable.RETRY_AFTER_SECONDS));
            write(response, DatabaseUnavailable.problem(request));
            return;
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        String detail;
        if (authorization == null) {
            detail = "this endpoint needs an operator credential: Authorization: Bearer <API token or OIDC JWT> "
                    + "(docs/security.md)";
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + REALM + "\"");
        } else {
            detail = refusal(e, authorization);
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + REALM + "\", error=\"invalid_token\"");
        }
        write(response, Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail, request));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        String needed = AccessTable.required(request).role().map(Role::wire).orElse("another");
        String has = who == null ? "no role" : Role.highest(who.getAuthorities()).map(r -> "the " + r.wire() + " role")
                .orElse("no deployer role");
        String name = who == null ? "the caller" : who.getName();
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + REALM + "\", error=\"insufficient_scope\"");
        write(response, Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", request.getMethod() + " "
                + request.getRequestURI() + " needs the " + needed + " role; " + name + " has " + has, request));
    }

    /** Why the presented credential was refused, never echoing it. */
    private static String refusal(AuthenticationException e, String authorization) {
        String why = e instanceof OAuth2AuthenticationException o && o.getError().getDescription() != null
                ? o.getError().getDescription() : "the bearer token is not valid";
        String token = authorization.length() > 7 ? authorization.substring(7).strip() : "";
        if (!token.isEmpty() && why.contains(token)) {
            why = "the bearer token is not valid";
        }
        return why + " (send Authorization: Bearer <API token or OIDC JWT>)";
    }

    private void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        Problems.write(response, json, problem);
    }
}
