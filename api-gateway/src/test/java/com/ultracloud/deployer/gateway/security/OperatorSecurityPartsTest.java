package com.ultracloud.deployer.gateway.security;

import com.ultracloud.deployer.gateway.config.DeployerProperties;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parts of operator security that need no running gateway: JWT roles, an unreachable issuer, the role hierarchy, the JSON rule, lifetimes. */
class OperatorSecurityPartsTest {

    private static BearerAuthentication with(String rolesClaim, JwtDecoder decoder) {
        return new BearerAuthentication(null, decoder, new DeployerProperties.Oidc("https://idp.example", null, rolesClaim, null));
    }

    @Test
    void aDottedRolesClaimReachesIntoAnObjectAndTheHighestRoleWins() {
        BearerAuthentication keycloak = with("realm_access.roles", null);
        assertThat(keycloak.roles(Map.of("realm_access", Map.of("roles", List.of("viewer", "admin", "uma_authorization")))))
                .contains(Role.ADMIN);
        assertThat(keycloak.roles(Map.of("roles", List.of("admin")))).isEmpty();
        assertThat(with("roles", null).roles(Map.of("roles", "Operator,viewer"))).contains(Role.OPERATOR);
        assertThat(with("roles", null).roles(Map.of("roles", 42))).isEmpty();
    }

    @Test
    void anUnreachableIssuerIsA503NotA401OrA500() throws Exception {
        JwtDecoder down = token -> {
            throw new JwtException("Couldn't retrieve remote JWK set: Connection refused");
        };
        BearerAuthentication bearer = with("roles", down);
        assertThatThrownBy(() -> bearer.authenticate(new BearerTokenAuthenticationToken("a.b.c")))
                .isInstanceOf(IdentityProviderUnavailableException.class);

        MockHttpServletResponse response = new MockHttpServletResponse();
        new SecurityProblems(new com.fasterxml.jackson.databind.ObjectMapper()).commence(
                new MockHttpServletRequest("GET", "/api/v1/machines"), response,
                new IdentityProviderUnavailableException("the OIDC issuer could not be reached", null));
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(response.getHeader("Retry-After")).isEqualTo("30");
    }

    @Test
    void theRoleHierarchyGrantsEveryLowerRole() {
        assertThat(Role.ADMIN.grantedAuthorities()).extracting(Object::toString)
                .containsExactly("ROLE_VIEWER", "ROLE_OPERATOR", "ROLE_ADMIN");
        assertThat(Role.VIEWER.grantedAuthorities()).extracting(Object::toString).containsExactly("ROLE_VIEWER");
        assertThat(Role.OPERATOR.includes(Role.VIEWER)).isTrue();
        assertThat(Role.OPERATOR.includes(Role.ADMIN)).isFalse();
    }

    @Test
    void onlyJsonCountsAsJson() {
        assertThat(JsonOrAuthorizationFilter.isJson("application/json")).isTrue();
        assertThat(JsonOrAuthorizationFilter.isJson("Application/JSON; charset=utf-8")).isTrue();
        assertThat(JsonOrAuthorizationFilter.isJson("text/plain")).isFalse();
        assertThat(JsonOrAuthorizationFilter.isJson("application/json-seq")).isFalse();
        assertThat(JsonOrAuthorizationFilter.isJson("application/x-www-form-urlencoded")).isFalse();
        assertThat(JsonOrAuthorizationFilter.isJson(";;;")).isFalse();
        assertThat(JsonOrAuthorizationFilter.isJson(null)).isFalse();
    }

    @Test
    void lifetimesReadAsOperatorsWriteThem() {
        assertThat(ApiTokens.parseDuration("30d")).hasToString("PT720H");
        assertThat(ApiTokens.parseDuration("12h")).hasToString("PT12H");
        assertThat(ApiTokens.parseDuration("P30D")).hasToString("PT720H");
        assertThat(ApiTokens.parseDuration("30")).isNull();
        assertThat(ApiTokens.parseDuration("soon")).isNull();
    }
}
