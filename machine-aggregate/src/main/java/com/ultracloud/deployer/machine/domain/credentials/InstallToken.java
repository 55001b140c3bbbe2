package com.ultracloud.deployer.machine.domain.credentials;

import java.time.Instant;
import java.util.Objects;

/**
 * A short-lived bearer token for one machine's installer. Only {@link #hash()} and {@link #expiresAt()}
 * are ever recorded; {@link #value()} goes to the installer once. {@link #toString()} redacts the value.
 *
 * @param value URL-safe base64 (no padding) of 256 random bits
 * @param hash  {@code sha256:} + lowercase hex of SHA-256 of the value's UTF-8 bytes ({@link InstallTokens#hash})
 */
public record InstallToken(String value, String hash, Instant expiresAt) {

    public InstallToken {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "InstallToken[hash=" + hash + ", expiresAt=" + expiresAt + ", value=(redacted)]";
    }
}
