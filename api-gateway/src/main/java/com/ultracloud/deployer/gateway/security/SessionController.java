package com.ultracloud.deployer.gateway.security;

import com.ultracloud.deployer.gateway.config.DeployerProperties;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Who the caller is ({@code GET /api/v1/session}): the console's sign-in checks a token with it and shows only the
 * buttons the role may use. In lab mode nobody authenticates and everyone may do everything.
 */
@RestController
@RequestMapping(path = "/api/v1/session", produces = MediaType.APPLICATION_JSON_VALUE)
class SessionController {

    record Session(String principal, String role, boolean securityEnabled) {
    }

    private final boolean securityEnabled;

    SessionController(DeployerProperties properties) {
        this.securityEnabled = properties.security().enabled();
    }

    @GetMapping
    Session session() {
        if (!securityEnabled) {
            return new Session("anonymous (lab mode)", Role.ADMIN.wire(), false);
        }
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        return new Session(who.getName(), Role.highest(who.getAuthorities()).map(Role::wire).orElse(null), true);
    }
}
