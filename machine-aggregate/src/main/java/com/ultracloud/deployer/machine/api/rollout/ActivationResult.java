package com.ultracloud.deployer.machine.api.rollout;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;

/** What the nix-agent reports about an activation (DESIGN §8.1: {@code started|healthy|failed|rolled-back}). */
public enum ActivationResult {
    /** The agent began activating the desired system. */
    STARTED,
    /** The new system is active and passed its health check within the confirm timeout. */
    HEALTHY,
    /** Activation or the health check failed, and the failed system was left in place (rollback policy manual). */
    FAILED,
    /** Activation or the health check failed and the agent switched back to the previous generation. */
    ROLLED_BACK;

    @JsonValue
    public String wireName() {
        return name().toLowerCase().replace('_', '-');
    }

    @JsonCreator
    public static ActivationResult fromWire(String name) {
        return Arrays.stream(values()).filter(v -> v.wireName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "activation result is started, healthy, failed or rolled-back, not " + name));
    }

    /** A verdict: the activation is over, one way or the other. */
    public boolean isVerdict() {
        return this != STARTED;
    }
}
