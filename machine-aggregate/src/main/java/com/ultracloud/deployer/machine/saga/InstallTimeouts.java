package com.ultracloud.deployer.machine.saga;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the install saga waits: for the installer to fetch the plan ({@code pending}, from
 * InstallRequested or a retry) and between signs of life while installing ({@code installing}, reset
 * by every progress report).
 */
public record InstallTimeouts(Duration pending, Duration installing) {

    public static final InstallTimeouts DEFAULT = new InstallTimeouts(Duration.ofMinutes(30), Duration.ofMinutes(60));

    public InstallTimeouts {
        Objects.requireNonNull(pending, "pending");
        Objects.requireNonNull(installing, "installing");
        if (pending.isNegative() || pending.isZero() || installing.isNegative() || installing.isZero()) {
            throw new IllegalArgumentException("install timeouts must be positive: " + pending + ", " + installing);
        }
    }
}
