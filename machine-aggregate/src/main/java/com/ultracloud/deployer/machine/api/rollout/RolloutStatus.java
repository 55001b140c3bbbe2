package com.ultracloud.deployer.machine.api.rollout;

/**
 * Where a machine stands with its current desired system (the Machine aggregate's rollout field; orthogonal
 * to the lifecycle state).
 */
public enum RolloutStatus {
    /** No desired system was ever set: the machine runs what the installer put there. */
    NONE,
    /** A desired system is set; the agent has not reported on it yet. */
    PENDING,
    /** The agent reported {@code started} for the current desired system. */
    ACTIVATING,
    /** The agent reported {@code healthy} for the current desired system. */
    HEALTHY,
    /** The agent reported {@code failed}: the failed system is left in place. */
    FAILED,
    /** The agent reported {@code rolled-back}: the previous generation runs again. */
    ROLLED_BACK;

    public static RolloutStatus after(ActivationResult result) {
        return switch (result) {
            case STARTED -> ACTIVATING;
            case HEALTHY -> HEALTHY;
            case FAILED -> FAILED;
            case ROLLED_BACK -> ROLLED_BACK;
        };
    }
}
