package com.ultracloud.deployer.installer.run;

/**
 * The deployer could not be reached or refused a request. {@code status} is the HTTP status, 0 when
 * the network failed. Network errors and 5xx are {@link #retryable()}; 4xx are not (except that the
 * installer answers a 403 on the plan by discovering again).
 */
public final class DeployerException extends RuntimeException {

    private final int status;

    public DeployerException(int status, String message, Throwable cause) {
        super(message, cause, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public boolean retryable() {
        return status == 0 || status >= 500 || status == 429;
    }

    public boolean forbidden() {
        return status == 403;
    }
}
