package com.ultracloud.deployer.gateway.problem;

/**
 * A command did not answer within the gateway's wait (it queued behind others for the same machine, or for a
 * database connection): 503 with {@code Retry-After}. Unlike a lost database, the command may still take effect
 * after the answer, so the caller re-reads before it repeats a non-idempotent action.
 */
public class CommandTimeoutException extends RuntimeException {

    public static final int RETRY_AFTER_SECONDS = 5;

    public CommandTimeoutException(String command, long waitedSeconds) {
        super("the command " + command + " did not finish within " + waitedSeconds
                + " s; it may still take effect: re-read the machine before you repeat it");
    }
}
