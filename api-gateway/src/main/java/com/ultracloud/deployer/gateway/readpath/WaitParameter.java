package com.ultracloud.deployer.gateway.readpath;

import com.ultracloud.deployer.gateway.problem.InvalidRequestException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A long-poll's {@code wait=} parameter, read the same way wherever one is taken (discover, the plan, the agent's
 * desired system): {@code 30s}, {@code 30000ms}, {@code 1m}, a bare number of seconds, or ISO-8601 {@code PT30S};
 * capped at the endpoint's maximum; absent or blank is no wait. Anything else is a 400 naming {@code wait}.
 */
public final class WaitParameter {

    private static final Pattern WAIT = Pattern.compile("(\\d{1,6})(ms|s|m)?");

    private WaitParameter() {
    }

    public static Duration parse(String wait, Duration max) {
        if (wait == null || wait.isBlank()) {
            return Duration.ZERO;
        }
        Duration d;
        Matcher m = WAIT.matcher(wait.strip());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = "ms".equals(m.group(2)) ? Duration.ofMillis(n) : "m".equals(m.group(2)) ? Duration.ofMinutes(n) : Duration.ofSeconds(n);
        } else {
            try {
                d = Duration.parse(wait.strip());
            } catch (DateTimeParseException e) {
                throw InvalidRequestException.of("wait", "must be a duration such as 30s, 500ms, 1m or PT30S");
            }
            if (d.isNegative()) {
                throw InvalidRequestException.of("wait", "must not be negative");
            }
        }
        return d.compareTo(max) > 0 ? max : d;
    }
}
