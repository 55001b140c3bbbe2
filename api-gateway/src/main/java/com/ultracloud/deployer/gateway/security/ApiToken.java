package com.ultracloud.deployer.gateway.security;

import java.time.Instant;

/**
 * One API token as stored, without its secret (only the hash is kept, and it stays in {@link ApiTokens}).
 * {@code createdBy} and {@code revokedBy} are principals ({@code token:<name>}, {@code jwt:<sub>},
 * {@code cli:<os user>}, {@code system:first-start}).
 */
public record ApiToken(String name, Role role, Instant createdAt, String createdBy, Instant expiresAt,
                       Instant revokedAt, String revokedBy) {

    public static final String ACTIVE = "active";
    public static final String EXPIRED = "expired";
    public static final String REVOKED = "revoked";

    /** {@code active}, {@code expired} or {@code revoked} at {@code now}. */
    public String status(Instant now) {
        if (revokedAt != null) {
            return REVOKED;
        }
        return now.isBefore(expiresAt) ? ACTIVE : EXPIRED;
    }

    /** The principal this token's requests are recorded under in event metadata. */
    public String principal() {
        return principalOf(name);
    }

    public static String principalOf(String name) {
        return "token:" + name;
    }
}
