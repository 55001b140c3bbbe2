package com.ultracloud.deployer.gateway.problem;

/**
 * A read asked for {@code minVersion} and the read model had not reached it within the wait (503 with
 * {@code Retry-After}): the read side lags, nothing is wrong with the request, the same request later
 * succeeds. {@code currentVersion} is what the read model holds (null: nothing for this machine yet).
 */
public class NotCaughtUpException extends RuntimeException {

    private final String machineId;
    private final long minVersion;
    private final Long currentVersion;
    private final long retryAfterSeconds;

    public NotCaughtUpException(String what, String machineId, long minVersion, Long currentVersion,
                                long retryAfterSeconds) {
        super(what + " of machine " + machineId + " has not reached version " + minVersion + " yet ("
                + (currentVersion == null ? "it holds nothing for the machine" : "it is at version " + currentVersion)
                + "); the read side is catching up, retry after " + retryAfterSeconds + " s");
        this.machineId = machineId;
        this.minVersion = minVersion;
        this.currentVersion = currentVersion;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public String machineId() {
        return machineId;
    }

    public long minVersion() {
        return minVersion;
    }

    public Long currentVersion() {
        return currentVersion;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
