package com.ultracloud.deployer.gateway.problem;

/**
 * No (valid) credentials were presented: 401 with {@code WWW-Authenticate: <challenge>} (by default
 * {@code Bearer}, for install tokens). The message never contains a token or a secret.
 */
public class UnauthorizedException extends RuntimeException {

    static final String BEARER = "Bearer realm=\"deployer-bootstrap\"";

    private final String challenge;

    public UnauthorizedException(String detail) {
        this(detail, BEARER);
    }

    public UnauthorizedException(String detail, String challenge) {
        super(detail);
        this.challenge = challenge;
    }

    public String challenge() {
        return challenge;
    }
}
