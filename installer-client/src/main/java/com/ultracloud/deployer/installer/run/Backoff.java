package com.ultracloud.deployer.installer.run;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter for network errors and 5xx: the n-th retry waits a random time
 * between half and all of {@code min(max, initial * 2^n)} ("equal jitter"), so a rack of machines
 * rebooting together does not hammer the deployer in lockstep.
 */
public record Backoff(Duration initial, Duration max) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

    /** The delay before retry number {@code retry} (0-based). */
    public Duration delay(int retry) {
        long cap = max.toMillis();
        long base = Math.min(cap, initial.toMillis() << Math.min(retry, 20));
        long half = base / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }
}
