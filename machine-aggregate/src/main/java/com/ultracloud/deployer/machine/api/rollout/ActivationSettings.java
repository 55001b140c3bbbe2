package com.ultracloud.deployer.machine.api.rollout;

import java.time.Duration;

/**
 * How the nix-agent activates a desired system and decides it is good: the strategy, how long the
 * activation itself may take ({@code activationTimeoutSeconds}), how long the new system then has to pass
 * its health check ({@code confirmTimeoutSeconds}), the check, and what happens when it does not.
 */
public record ActivationSettings(ActivationStrategy strategy, int activationTimeoutSeconds, int confirmTimeoutSeconds,
                                 HealthCheck healthCheck, RollbackPolicy rollbackPolicy) {

    /** switch, 10 minutes to activate, 5 to confirm, no extra check, automatic rollback. */
    public static final ActivationSettings DEFAULT = new ActivationSettings(ActivationStrategy.SWITCH, 600, 300,
            HealthCheck.NONE, RollbackPolicy.AUTOMATIC);

    public Duration activationTimeout() {
        return Duration.ofSeconds(activationTimeoutSeconds);
    }

    public Duration confirmTimeout() {
        return Duration.ofSeconds(confirmTimeoutSeconds);
    }

    /** The longest an agent may take from picking the system up to a verdict: activation plus confirm. */
    public Duration verdictWithin() {
        return activationTimeout().plus(confirmTimeout());
    }

    /** What is wrong with these settings, or null. */
    public String problem() {
        if (strategy == null || rollbackPolicy == null || healthCheck == null) {
            return "strategy, health check and rollback policy are required";
        }
        if (activationTimeoutSeconds < 1 || confirmTimeoutSeconds < 1) {
            return "activation and confirm timeouts must be at least 1 second";
        }
        return healthCheck.problem();
    }
}
