package com.ultracloud.deployer.gateway.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.ultracloud.deployer.gateway.machine.RequestContext;
import com.ultracloud.deployer.gateway.problem.NotFoundException;
import com.ultracloud.deployer.gateway.problem.RequestBodies;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.http.MediaType;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * {@code /api/v1/admin/tokens} (admin): create a token (its secret answered once, never again),
 * list and read tokens (never a secret or hash), revoke one with {@code DELETE}.
 */
@RestController
@RequestMapping(path = "/api/v1/admin/tokens", produces = MediaType.APPLICATION_JSON_VALUE)
class ApiTokenController {

    private final ApiTokens tokens;
    private final RequestBodies bodies;
    private final Clock clock;

    ApiTokenController(ApiTokens tokens, RequestBodies bodies, Clock clock) {
        this.tokens = tokens;
        this.bodies = bodies;
        this.clock = clock;
    }

    /** {@code expiresIn}: {@code 30d}, {@code 12h}, {@code 90m}, ISO-8601 {@code P30D}; absent: 90 days. */
    record CreateToken(String name, String role, String expiresIn) {
    }

    record TokenView(String name, String role, String status, Instant createdAt, String createdBy, Instant expiresAt,
                     Instant revokedAt, String revokedBy) {
    }

    /** The answer to a creation: the only time {@code token} is shown. */
    record CreatedToken(String name, String role, String status, Instant createdAt, String createdBy,
                        Instant expiresAt, String token) {
    }

    @PostMapping
    ResponseEntity<CreatedToken> create(@RequestBody(required = false) JsonNode body, HttpServletRequest request) {
        CreateToken asked = bodies.read(body, CreateToken.class);
        ApiTokens.Issued issued = tokens.create(asked.name(), asked.role(), asked.expiresIn(),
                RequestContext.operator(request).principal());
        ApiToken t = issued.token();
        return ResponseEntity.created(URI.create("/api/v1/admin/tokens/" + t.name()))
                .cacheControl(CacheControl.noStore())
                .body(new CreatedToken(t.name(), t.role().wire(), t.status(clock.instant()), t.createdAt(), t.createdBy(),
                        t.expiresAt(), issued.secret()));
    }

    @GetMapping
    List<TokenView> list() {
        Instant now = clock.instant();
        return tokens.list().stream().map(t -> view(t, now)).toList();
    }

    @GetMapping("/{name}")
    TokenView one(@PathVariable String name) {
        return view(tokens.find(name).orElseThrow(() -> new NotFoundException("no API token named '" + name + "'", null)),
                clock.instant());
    }

    /** Revokes the token: requests with it are refused from now on. Revoking a revoked token changes nothing. */
    @DeleteMapping("/{name}")
    TokenView revoke(@PathVariable String name, HttpServletRequest request) {
        return view(tokens.revoke(name, RequestContext.operator(request).principal()), clock.instant());
    }

    private static TokenView view(ApiToken t, Instant now) {
        return new TokenView(t.name(), t.role().wire(), t.status(now), t.createdAt(), t.createdBy(), t.expiresAt(),
                t.revokedAt(), t.revokedBy());
    }
}
