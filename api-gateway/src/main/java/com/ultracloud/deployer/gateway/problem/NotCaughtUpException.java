package com.ultracloud.deployer.gateway.problem;

/**
 * A read asked for {@code minVersion} and the read model had not reached it within the wait (503 with
 * {@code Retry-After}): the read side lags, nothing is wrong with the request, the same request later
 * succeeds. {@code currentVersion} is what the read model holds (null: nothing for this machine yet).
 */
public class NotCaughtUpException extends RuntimeException {

    private final String idField;
    private final String machineId;
    private final long minVersion;
    private final Long currentVersion;
    private final long retryAfterSeconds;

    public NotCaughtUpException(String what, String machineId, long minVersion, Long currentVersion,
                                long retryAfterSeconds) {
        this(what + " of machine " + machineId, "machineId", machineId, minVersion, currentVersion, retryAfterSeconds);
    }

    private NotCaughtUpException(String subject, String idField, String id, long minVersion, Long currentVersion,
                                 long retryAfterSeconds) {
        super(subject + " has not reached version " + minVersion + " yet ("
                + (currentVersion == null ? "it holds nothing for it" : "it is at version " + currentVersion)
                + "); the read side is catching up, retry after " + retryAfterSeconds + " s");
        this.idField = idField;
        this.machineId = id;
        this.minVersion = minVersion;
        this.currentVersion = currentVersion;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The rollout view of a host deployment lags: the problem names the deployment ({@code deploymentId}). */
    public static NotCaughtUpException deployment(String deploymentId, long minVersion, Long currentVersion,
                                                  long retryAfterSeconds) {
        return new NotCaughtUpException("the rollout view of host deployment " + deploymentId, "deploymentId",
                deploymentId, minVersion, currentVersion, retryAfterSeconds);
    }

    /** The problem's property that carries {@link #machineId()}: {@code machineId} or {@code deploymentId}. */
    public String idField() {
        return idField;
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
