package com.ultracloud.deployer.gateway.problem;

/** No credentials were presented (401, with {@code WWW-Authenticate: Bearer}). The message never contains a token. */
public class UnauthorizedException extends RuntimeException {

    public UnauthorizedException(String detail) {
        super(detail);
    }
}
