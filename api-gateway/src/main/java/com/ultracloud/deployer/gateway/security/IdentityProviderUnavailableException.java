package com.ultracloud.deployer.gateway.security;

import org.springframework.security.core.AuthenticationException;

/** A JWT could not be checked because the OIDC issuer (discovery or keys) could not be reached: 503, not 401 or 500. */
final class IdentityProviderUnavailableException extends AuthenticationException {

    IdentityProviderUnavailableException(String detail, Throwable cause) {
        super(detail, cause);
    }
}
