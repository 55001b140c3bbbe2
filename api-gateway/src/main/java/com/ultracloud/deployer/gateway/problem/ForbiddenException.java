package com.ultracloud.deployer.gateway.problem;

/**
 * Credentials were presented but do not allow this (403): unknown, expired or revoked install token,
 * or one bound to another machine or plan. The message never contains the token.
 */
public class ForbiddenException extends RuntimeException {

    public ForbiddenException(String detail) {
        super(detail);
    }
}
