package com.ultracloud.deployer.gateway.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import java.util.List;
import java.util.Optional;

/**
 * Who may call what: the one table of (method, path pattern) → access that the security filter
 * chain enforces and the role-matrix test checks against every mapped endpoint. The first matching
 * rule wins. A path under {@code /api/} that no rule names needs {@link Role#ADMIN} (fail closed:
 * a forgotten endpoint is not open, and the role-matrix test names it); anything else (the console's
 * static files, unknown paths) is open.
 */
public final class AccessTable {

    /** What a rule asks of the caller. */
    public enum Access {
        /** Anyone who can reach the port (health, the OpenAPI description, error pages). */
        OPEN,
        /**
         * Machine-facing: not an operator credential but the endpoint's own (install token, join secret,
         * node certificate), checked by its controller; Spring Security leaves these requests alone.
         */
        MACHINE,
        VIEWER, OPERATOR, ADMIN;

        public Optional<Role> role() {
            return switch (this) {
                case VIEWER -> Optional.of(Role.VIEWER);
                case OPERATOR -> Optional.of(Role.OPERATOR);
                case ADMIN -> Optional.of(Role.ADMIN);
                default -> Optional.empty();
            };
        }
    }

    /** One line of the table; {@code method} null = every method. */
    public record Rule(HttpMethod method, String pattern, Access access, RequestMatcher matcher) {
        @Override
        public String toString() {
            return (method == null ? "*" : method.name()) + " " + pattern + " → " + access;
        }
    }

    private static final HttpMethod GET = HttpMethod.GET;
    private static final HttpMethod POST = HttpMethod.POST;
    private static final HttpMethod PUT = HttpMethod.PUT;

    public static final List<Rule> RULES = List.of(
            // machine-facing: install tokens (InstallTokenGuard), the join secret and node certificates
            rule(null, "/api/v1/bootstrap/**", Access.MACHINE),
            rule(null, "/api/v1/agent/**", Access.MACHINE),
            // the installer's netboot image for the agents' kexec directives: a node certificate (NodeCertificateInterceptor)
            rule(GET, "/images/installer/**", Access.MACHINE),
            // machines
            rule(GET, "/api/v1/machines", Access.VIEWER),
            rule(GET, "/api/v1/machines/counts", Access.VIEWER),             // machines per state
            rule(GET, "/api/v1/machines/{id}", Access.VIEWER),
            rule(GET, "/api/v1/machines/{id}/events", Access.VIEWER),
            rule(GET, "/api/v1/events", Access.VIEWER),                      // the whole store's events (audit)
            rule(GET, "/api/v1/events/stream", Access.VIEWER),               // the same, live (Server-Sent Events)
            rule(GET, "/api/v1/machines/{id}/state", Access.VIEWER),
            rule(GET, "/api/v1/machines/{id}/install-plan", Access.VIEWER), // the plan without its secrets
            rule(POST, "/api/v1/machines/{id}/{action}", Access.OPERATOR),   // every lifecycle action
            rule(GET, "/api/v1/lifecycle", Access.VIEWER),                   // the transition table, as data
            // who the caller is: the console's sign-in
            rule(GET, "/api/v1/session", Access.VIEWER),
            // host rollouts (DESIGN §10: rollouts are the operator's, reading them a viewer's)
            rule(GET, "/api/v1/host-deployments", Access.VIEWER),
            rule(GET, "/api/v1/host-deployments/{id}", Access.VIEWER),
            rule(POST, "/api/v1/host-deployments", Access.OPERATOR),
            rule(POST, "/api/v1/host-deployments/{id}/{action}", Access.OPERATOR), // pause, resume, abort
            // cluster intent: reading it is a read; importing or previewing one is the admin's
            rule(GET, "/api/v1/cluster/intent", Access.VIEWER),
            rule(PUT, "/api/v1/cluster/intent", Access.ADMIN),
            rule(POST, "/api/v1/cluster/intent/preview", Access.ADMIN),
            // administration
            rule(GET, "/api/v1/admin/projections", Access.VIEWER),           // processor status and lag
            rule(POST, "/api/v1/admin/projections/{name}/replay", Access.ADMIN),
            rule(null, "/api/v1/admin/tokens", Access.ADMIN),
            rule(null, "/api/v1/admin/tokens/**", Access.ADMIN),
            // ops: probes stay open; metrics tell a lot about the fleet, so a viewer token (Prometheus
            // sends it with authorization.credentials_file)
            rule(null, "/actuator/health", Access.OPEN),
            rule(null, "/actuator/health/**", Access.OPEN),
            rule(null, "/actuator/**", Access.VIEWER),
            // the API's description is no secret (the source is public) and helps clients
            rule(null, "/v3/api-docs*", Access.OPEN),
            rule(null, "/v3/api-docs/**", Access.OPEN),
            rule(null, "/swagger-ui.html", Access.OPEN),
            rule(null, "/swagger-ui/**", Access.OPEN),
            // the web console: static files, no data until the browser sends a token
            rule(GET, "/", Access.OPEN),
            rule(GET, "/index.html", Access.OPEN),
            rule(GET, "/console/**", Access.OPEN),
            // Boot's error page: renders the problem of a request already refused or failed
            rule(null, "/error", Access.OPEN));

    private static final RequestMatcher API = PathPatternRequestMatcher.withDefaults().matcher("/api/**");

    private AccessTable() {
    }

    /** The rule that names this request, if one does. */
    public static Optional<Rule> explicitRule(HttpServletRequest request) {
        return RULES.stream().filter(r -> r.matcher().matches(request)).findFirst();
    }

    /**
     * The access of an endpoint named as a path template ({@code POST /api/v1/machines/{id}/{action}}), as the table
     * decides it for any request to it: what the OpenAPI description says of each operation.
     */
    public static Access forTemplate(HttpMethod method, String template) {
        PathContainer path = PathContainer.parsePath(template.replaceAll("\\{[^}]+}", "x"));
        return RULES.stream()
                .filter(r -> r.method() == null || r.method().equals(method))
                .filter(r -> PathPatternParser.defaultInstance.parse(r.pattern()).matches(path))
                .map(Rule::access).findFirst()
                .orElse(template.startsWith("/api/") ? Access.ADMIN : Access.OPEN);
    }

    /** What this request needs: its rule's access, else ADMIN under {@code /api/}, else OPEN. */
    public static Access required(HttpServletRequest request) {
        return explicitRule(request).map(Rule::access)
                .orElseGet(() -> API.matches(request) ? Access.ADMIN : Access.OPEN);
    }

    /** The machine-facing paths, which the operator chain leaves to their own credentials. */
    static RequestMatcher machineFacing() {
        return new OrRequestMatcher(RULES.stream().filter(r -> r.access() == Access.MACHINE)
                .map(Rule::matcher).toList());
    }

    private static Rule rule(HttpMethod method, String pattern, Access access) {
        return new Rule(method, pattern, access, PathPatternRequestMatcher.withDefaults().matcher(method, pattern));
    }
}
