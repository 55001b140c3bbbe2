package com.ultracloud.deployer.machine.api.deployment;

/**
 * Whether the rollout drains a machine before changing its system: {@code NONE} (activate in place), or
 * {@code DRAIN_FIRST} (DrainMachine, then wait up to {@code timeoutSeconds} for DrainCompleted; a drain that
 * does not complete in time is a failed machine, undrained again with its system unchanged). A machine the
 * rollout drained is undrained after its new system is healthy, and left draining after a failure.
 */
public record DrainPolicy(Mode mode, int timeoutSeconds) {

    public enum Mode { NONE, DRAIN_FIRST }

    public static final DrainPolicy NONE = new DrainPolicy(Mode.NONE, 0);

    public static DrainPolicy drainFirst(int timeoutSeconds) {
        return new DrainPolicy(Mode.DRAIN_FIRST, timeoutSeconds);
    }

    public boolean drainsFirst() {
        return mode == Mode.DRAIN_FIRST;
    }

    public java.time.Duration timeout() {
        return java.time.Duration.ofSeconds(timeoutSeconds);
    }

    public String problem() {
        if (mode == null) {
            return "drain policy mode is NONE or DRAIN_FIRST";
        }
        return drainsFirst() && timeoutSeconds < 1 ? "drain-first needs a timeout of at least 1 second" : null;
    }
}
