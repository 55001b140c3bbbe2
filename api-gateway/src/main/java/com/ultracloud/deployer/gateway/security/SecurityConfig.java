package com.ultracloud.deployer.gateway.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.gateway.config.DeployerProperties;
import jakarta.servlet.DispatcherType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.logout.LogoutFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.header.HeaderWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

import java.util.Collection;
import java.util.function.Supplier;

/**
 * Two filter chains. Machine-facing paths ({@link AccessTable.Access#MACHINE}) are left to their own
 * credentials (install token, join secret, node certificate). Everything else: a bearer API token or
 * OIDC JWT, and the role {@link AccessTable} names for the request. Both chains are stateless (no
 * session, no cookie), send the standard security headers and apply the JSON-or-Authorization rule for
 * writes. With {@code deployer.security.enabled=false} (lab mode) the operator chain lets everyone in.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class SecurityConfig {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);

    @Bean
    @Order(1)
    SecurityFilterChain machineFacing(HttpSecurity http, ObjectMapper json) throws Exception {
        http.securityMatcher(AccessTable.machineFacing())
                .authorizeHttpRequests(a -> a.anyRequest().permitAll());
        return common(http, json).build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain operators(HttpSecurity http, ObjectMapper json, DeployerProperties properties, ApiTokens tokens)
            throws Exception {
        common(http, json);
        DeployerProperties.Security security = properties.security();
        if (!security.enabled()) {
            http.authorizeHttpRequests(a -> a.anyRequest().permitAll());
            return http.build();
        }
        SecurityProblems problems = new SecurityProblems(json);
        BearerAuthentication bearer = new BearerAuthentication(tokens, jwtDecoder(security.oidc()), security.oidc());
        http.authorizeHttpRequests(a -> a
                        // an error page or an async completion of a request that was already let in
                        .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll()
                        .anyRequest().access(SecurityConfig::decide))
                .oauth2ResourceServer(o -> o.authenticationManagerResolver(request -> bearer)
                        .authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .addFilterAt(new BearerOnlyFilter(problems), LogoutFilter.class);
        return http.build();
    }

    /** The table's verdict for one request: open, or the role it names (granted roles include lower ones). */
    private static AuthorizationDecision decide(Supplier<Authentication> who, RequestAuthorizationContext context) {
        AccessTable.Access access = AccessTable.required(context.getRequest());
        if (access.role().isEmpty()) {
            return new AuthorizationDecision(true);
        }
        Authentication authentication = who.get();
        Collection<? extends GrantedAuthority> granted = authentication == null ? java.util.List.of()
                : authentication.getAuthorities();
        String needed = access.role().get().authority();
        return new AuthorizationDecision(granted.stream().anyMatch(g -> needed.equals(g.getAuthority())));
    }

    /**
     * The console loads only its own files and talks only to this origin: no inline script, no other host, no
     * framing, so an injected string cannot run or leak the token.
     */
    private static final HeaderWriter CONSOLE_POLICY = new DelegatingRequestMatcherHeaderWriter(
            new OrRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher("/"),
                    PathPatternRequestMatcher.withDefaults().matcher("/index.html"),
                    PathPatternRequestMatcher.withDefaults().matcher("/console/**")),
            new StaticHeadersWriter("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "
                    + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                    + "frame-ancestors 'none'"));

    private static HttpSecurity common(HttpSecurity http, ObjectMapper json) throws Exception {
        return http
                // no cookies: nothing for a cross-site request to ride on; JsonOrAuthorizationFilter is the CSRF rule
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                .formLogin(f -> f.disable())
                .httpBasic(b -> b.disable())
                .logout(l -> l.disable())
                // Spring Security's defaults (nosniff, no-store unless a response says otherwise, frame DENY,
                // HSTS on HTTPS) plus no Referer leaving the console
                .headers(h -> h.referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER))
                        .addHeaderWriter(CONSOLE_POLICY))
                .addFilterAt(new JsonOrAuthorizationFilter(json), CsrfFilter.class);
    }

    /**
     * Decoder for JWTs of the configured issuer, or null when OIDC is off. Built on first use, so the
     * gateway starts while the issuer is down; signature, {@code exp}/{@code nbf} and {@code iss} are
     * always checked, {@code aud} when an audience is configured.
     */
    static JwtDecoder jwtDecoder(DeployerProperties.Oidc oidc) {
        if (!oidc.isEnabled()) {
            return null;
        }
        OAuth2TokenValidator<Jwt> validator = JwtValidators.createDefaultWithIssuer(oidc.issuerUri());
        if (oidc.audience() != null) {
            validator = new DelegatingOAuth2TokenValidator<>(validator, new JwtClaimValidator<java.util.List<String>>(
                    JwtClaimNames.AUD, aud -> aud != null && aud.contains(oidc.audience())));
        }
        OAuth2TokenValidator<Jwt> checks = validator;
        return new SupplierJwtDecoder(() -> {
            NimbusJwtDecoder decoder = oidc.jwkSetUri() != null
                    ? NimbusJwtDecoder.withJwkSetUri(oidc.jwkSetUri()).build()
                    : NimbusJwtDecoder.withIssuerLocation(oidc.issuerUri()).build();
            decoder.setJwtValidator(checks);
            return decoder;
        });
    }

    /** Says at start which mode the operator API is in; lab mode loudly, with the port it leaves open. */
    @Bean
    ApplicationListener<WebServerInitializedEvent> securityModeAnnouncement(DeployerProperties properties) {
        return event -> {
            if (event.getApplicationContext().getServerNamespace() != null) {
                return; // a separate management server (management.server.port) is not the operator API
            }
            DeployerProperties.Security security = properties.security();
            int port = event.getWebServer().getPort();
            if (!security.enabled()) {
                log.warn("""

                        ******************************************************************************
                        ** LAB MODE: deployer.security.enabled=false
                        ** The operator API on port {} needs NO credential: anyone who can reach it
                        ** can import intent, reprovision and retire machines, and create API tokens;
                        ** discover needs no join secret. Never run a production fleet like this.
                        ******************************************************************************""", port);
            } else {
                log.info("operator API on port {}: bearer API tokens{}", port, security.oidc().isEnabled()
                        ? " and JWTs of OIDC issuer " + security.oidc().issuerUri() + " (roles from claim '"
                        + security.oidc().rolesClaim() + "')" : "");
            }
        };
    }
}
