package com.ultracloud.deployer.gateway.security;

import com.ultracloud.deployer.gateway.config.DeployerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a bearer token: {@code ucd_…} (or any token while OIDC is off) against the API-token store;
 * anything else, with OIDC on, as a JWT of the configured issuer whose roles claim gives the role.
 */
final class BearerAuthentication implements AuthenticationManager {

    private static final Logger log = LoggerFactory.getLogger(BearerAuthentication.class);

    private final ApiTokens tokens;
    private final JwtDecoder jwts;
    private final String rolesClaim;

    /** {@code jwts} null: OIDC is off. */
    BearerAuthentication(ApiTokens tokens, JwtDecoder jwts, DeployerProperties.Oidc oidc) {
        this.tokens = tokens;
        this.jwts = jwts;
        this.rolesClaim = oidc.rolesClaim();
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        if (!(authentication instanceof BearerTokenAuthenticationToken bearer)) {
            throw new InvalidBearerTokenException("only bearer tokens are accepted");
        }
        String token = bearer.getToken();
        if (jwts == null || token.startsWith(ApiTokens.PREFIX)) {
            ApiTokens.Verdict verdict = tokens.verify(token);
            if (!verdict.accepted()) {
                throw new InvalidBearerTokenException(verdict.refusal());
            }
            return new ApiTokenAuthentication(verdict.token());
        }
        return jwt(token);
    }

    private Authentication jwt(String token) {
        Jwt jwt;
        try {
            jwt = jwts.decode(token);
        } catch (BadJwtException e) {
            throw new InvalidBearerTokenException("the JWT is not valid: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // the issuer's discovery document or keys could not be fetched: our side, not the caller's
            log.warn("cannot check a JWT: the OIDC issuer is unreachable or answers nonsense: {}", e.getMessage());
            throw new IdentityProviderUnavailableException("the OIDC issuer could not be reached to check the JWT; "
                    + "try again later, or use an API token", e);
        }
        if (jwt.getSubject() == null || jwt.getSubject().isBlank()) {
            throw new InvalidBearerTokenException("the JWT has no subject (sub): it cannot name a principal");
        }
        List<GrantedAuthority> authorities = roles(jwt.getClaims()).map(Role::grantedAuthorities).orElse(List.of());
        return new JwtAuthenticationToken(jwt, authorities, "jwt:" + jwt.getSubject());
    }

    /**
     * The highest role named in the roles claim: a list of strings or one space- or comma-separated
     * string, reached by a dotted path ({@code realm_access.roles}); names other than viewer, operator,
     * admin are ignored, so a JWT may carry the roles of other applications too.
     */
    Optional<Role> roles(Map<String, Object> claims) {
        Object value = claims;
        for (String part : rolesClaim.split("\\.")) {
            value = value instanceof Map<?, ?> m ? m.get(part) : null;
        }
        List<String> names = new ArrayList<>();
        if (value instanceof Collection<?> list) {
            list.forEach(v -> names.add(String.valueOf(v)));
        } else if (value instanceof String s) {
            names.addAll(List.of(s.split("[\\s,]+")));
        }
        Role best = null;
        for (String n : names) {
            Optional<Role> r = Role.fromWire(n);
            if (r.isPresent() && (best == null || r.get().includes(best))) {
                best = r.get();
            }
        }
        return Optional.ofNullable(best);
    }
}
