package com.ultracloud.deployer.machine.saga;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the directive saga waits: for the node's agent to acknowledge a rescue or reprovision directive
 * ({@code acknowledge}), then for the installer it kexecs into to discover ({@code boot}).
 */
public record DirectiveTimeouts(Duration acknowledge, Duration boot) {

    public static final DirectiveTimeouts DEFAULT = new DirectiveTimeouts(Duration.ofMinutes(2), Duration.ofMinutes(10));

    public DirectiveTimeouts {
        Objects.requireNonNull(acknowledge, "acknowledge");
        Objects.requireNonNull(boot, "boot");
        if (acknowledge.isNegative() || acknowledge.isZero() || boot.isNegative() || boot.isZero()) {
            throw new IllegalArgumentException("directive timeouts must be positive: " + acknowledge + ", " + boot);
        }
    }
}
