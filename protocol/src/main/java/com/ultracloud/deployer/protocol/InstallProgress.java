package com.ultracloud.deployer.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the installer reports on {@code POST /api/v1/bootstrap/progress} (DESIGN §8.1). {@code result}
 * is one of {@code started}, {@code running}, {@code succeeded}, {@code failed}; {@code logTail} is the
 * last lines of the installer's log, sent with a failure. Sent with the install token
 * ({@code Authorization: Bearer}) and the plan's progress token ({@value #PROGRESS_TOKEN_HEADER}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record InstallProgress(String planId, String result, String step, Integer percent, String message,
                              String logTail) {

    public static final String STARTED = "started";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    /** The header that carries the progress token, which only the sealed plan secrets deliver. */
    public static final String PROGRESS_TOKEN_HEADER = "X-Progress-Token";
}
