package com.ultracloud.deployer.machine.domain.credentials;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/** Issuing, hashing and checking install tokens. Only hashes are stored; checks are constant-time. */
public final class InstallTokens {

    /** 256 random bits: 43 characters of URL-safe base64. */
    public static final int TOKEN_BYTES = 32;
    /** Default lifetime of an install token. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(2);

    private InstallTokens() {
    }

    /** A new token, valid {@code ttl} from the clock's now. */
    public static InstallToken issue(Duration ttl, Clock clock, SecureRandom random) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("install token lifetime must be positive: " + ttl);
        }
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        java.util.Arrays.fill(bytes, (byte) 0);
        return new InstallToken(value, hash(value), clock.instant().plus(ttl));
    }

    /** {@code sha256:} + lowercase hex of SHA-256 of the token's UTF-8 bytes: what events and projections record. */
    public static String hash(String token) {
        return Crypto.sha256Tagged(Objects.requireNonNull(token, "token").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether {@code presented} hashes to {@code storedHash}, compared in constant time
     * ({@link MessageDigest#isEqual}); false for null or blank input, never an exception.
     */
    public static boolean matches(String presented, String storedHash) {
        if (presented == null || presented.isEmpty() || storedHash == null || storedHash.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(hash(presented).getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    /** {@link #matches} and not expired at {@code now}. */
    public static boolean isValid(String presented, String storedHash, Instant expiresAt, Instant now) {
        boolean matches = matches(presented, storedHash); // evaluated first, whatever the expiry, to keep timing flat
        return matches && expiresAt != null && now.isBefore(expiresAt);
    }
}
