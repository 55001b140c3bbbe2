package com.ultracloud.deployer.gateway.readpath;

import com.ultracloud.deployer.gateway.problem.InvalidRequestException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.DeferredResult;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * {@code minVersion} on reads (docs/api.md, "Read your writes"): parsing, the bounded wait
 * ({@code deployer.read.min-version-wait}, default 2 s) and the hand-over of a waiting read to Servlet async.
 */
@Component
public class ReadWaits {

    /** The longest a request may be held beyond its own wait before the container gives up on it. */
    private static final Duration ASYNC_MARGIN = Duration.ofSeconds(30);

    private final Duration minVersionWait;
    private final long retryAfterSeconds;

    ReadWaits(@Value("${deployer.read.min-version-wait:2s}") Duration minVersionWait,
              @Value("${deployer.read.retry-after-seconds:1}") long retryAfterSeconds) {
        this.minVersionWait = minVersionWait;
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public Duration minVersionWait() {
        return minVersionWait;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /**
     * {@code minVersion} as given: null when absent, else a machine version (0 or more, as in the
     * {@code version} of a machine and a command's answer); anything else is a 400.
     */
    public static Long parseMinVersion(String minVersion) {
        if (minVersion == null) {
            return null;
        }
        String v = minVersion.strip();
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw InvalidRequestException.of("minVersion",
                    "must be a machine version: a whole number, 0 or more (the version a command answered)");
        }
        return Long.parseLong(v);
    }

    /**
     * The future as a Servlet-async result: the request's thread goes back to the pool and the answer is
     * written when the future completes (its exception goes through the problem advice, unwrapped).
     */
    public static <T> DeferredResult<T> deferred(CompletableFuture<T> future, Duration wait) {
        DeferredResult<T> result = new DeferredResult<>(wait.plus(ASYNC_MARGIN).toMillis());
        future.whenComplete((value, error) -> {
            if (error != null) {
                result.setErrorResult(unwrap(error));
            } else {
                result.setResult(value);
            }
        });
        // the client went away or the container timed out: stop waiting for it
        result.onCompletion(() -> future.cancel(false));
        result.onTimeout(() -> future.cancel(false));
        return result;
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
