package com.ultracloud.deployer.machine.api.deployment;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How many of the covered machines may be out of service at once, the rollout's own and the ones already
 * DRAINING, FAILED or unhealthy together: a count, or a percent of the machines the selector covers in
 * ACTIVE, DRAINING or FAILED when the rollout starts (rounded down, at least 1). Exactly one of the two.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MaxUnavailable(Integer count, Integer percent) {

    public static MaxUnavailable count(int count) {
        return new MaxUnavailable(count, null);
    }

    public static MaxUnavailable percent(int percent) {
        return new MaxUnavailable(null, percent);
    }

    /** The count for a fleet of {@code covered} machines. */
    public int resolve(int covered) {
        if (count != null) {
            return count;
        }
        return Math.max(1, covered * percent / 100);
    }

    public String problem() {
        if ((count == null) == (percent == null)) {
            return "max unavailable is either a count or a percent";
        }
        if (count != null && count < 1) {
            return "max unavailable must be at least 1";
        }
        if (percent != null && (percent < 1 || percent > 100)) {
            return "max unavailable percent must be between 1 and 100";
        }
        return null;
    }

    @Override
    public String toString() {
        return count != null ? String.valueOf(count) : percent + "%";
    }
}
