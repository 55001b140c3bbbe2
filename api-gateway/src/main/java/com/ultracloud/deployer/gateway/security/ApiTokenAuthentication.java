package com.ultracloud.deployer.gateway.security;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/** A request made with an active API token: named {@code token:<name>}, granted the token's role. The secret is not kept. */
final class ApiTokenAuthentication extends AbstractAuthenticationToken {

    private final String principal;

    ApiTokenAuthentication(ApiToken token) {
        super(token.role().grantedAuthorities());
        this.principal = token.principal();
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public Object getPrincipal() {
        return principal;
    }
}
