package com.ultracloud.deployer.installer.run;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The deployer could not be reached or refused a request. {@code status} is the HTTP status, 0 when
 * the network failed. Network errors and 5xx are {@link #retryable()}; 4xx are not (except that the
 * installer answers a 403 on the plan by discovering again).
 */
public final class DeployerException extends RuntimeException {

    private final int status;
    private final Duration retryAfter;

    public DeployerException(int status, String message, Throwable cause) {
        this(status, message, cause, null);
    }

    private DeployerException(int status, String message, Throwable cause, Duration retryAfter) {
        super(message, cause, false, false);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /** A refusal the deployer answered: its status and, when it sent one, its {@code Retry-After} (in seconds). */
    public static DeployerException answered(HttpResponse<?> response, String message) {
        return new DeployerException(response.statusCode(), message, null, retryAfter(response).orElse(null));
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        // the HTTP-date form is not used by the deployer; a proxy's date is ignored and the backoff applies
        return response.headers().firstValue("Retry-After").filter(v -> v.trim().matches("\\d{1,6}"))
                .map(v -> Duration.ofSeconds(Long.parseLong(v.trim())));
    }

    public int status() {
        return status;
    }

    public boolean retryable() {
        return status == 0 || status >= 500 || status == 429;
    }

    /**
     * How long to wait before the next attempt: the backoff's delay for this retry, but never less than the
     * deployer's {@code Retry-After} (a replica that lost its database says when to come back), capped at the
     * backoff's maximum so one answer cannot park a machine for long.
     */
    public Duration delay(Backoff backoff, int retry) {
        Duration delay = backoff.delay(retry);
        if (retryAfter == null || retryAfter.compareTo(delay) <= 0) {
            return delay;
        }
        return retryAfter.compareTo(backoff.max()) > 0 ? backoff.max() : retryAfter;
    }

    public boolean forbidden() {
        return status == 403;
    }
}
