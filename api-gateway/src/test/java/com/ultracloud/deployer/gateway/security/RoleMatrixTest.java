package com.ultracloud.deployer.gateway.security;

import com.ultracloud.deployer.gateway.Hardware;
import com.ultracloud.deployer.gateway.RunningGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every endpoint Spring maps (controllers, springdoc, actuator) × every kind of caller — no token, an
 * unknown, expired or revoked token, viewer, operator, admin — answered 401, 403 or let in exactly as
 * {@link AccessTable} says. The endpoints come from the handler mappings, so a new endpoint without a
 * rule fails here.
 */
class RoleMatrixTest {

    @TempDir
    static Path dataDir;
    static RunningGateway gw;
    static String machine;
    /** Caller → the token it sends (null: none), in a stable order for readable failures. */
    static final Map<String, String> CALLERS = new LinkedHashMap<>();
    static final Map<String, Role> ROLES = Map.of("viewer", Role.VIEWER, "operator", Role.OPERATOR, "admin", Role.ADMIN);

    @BeforeAll
    static void start() {
        gw = RunningGateway.embedded(dataDir);
        machine = gw.post("/api/v1/bootstrap/discover", Hardware.clone("server-nvme-sata-usb", 81)).json()
                .get("machineId").asText();
        CALLERS.put("none", null);
        CALLERS.put("unknown", ApiTokens.PREFIX + "A".repeat(43));
        CALLERS.put("expired", create("matrix-expired", "admin", "1s"));
        CALLERS.put("revoked", create("matrix-revoked", "admin", "1d"));
        assertThat(gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/admin/tokens/matrix-revoked"))
                .DELETE(), Map.of()).json().get("status").asText()).isEqualTo("revoked");
        CALLERS.put("viewer", create("matrix-viewer", "viewer", "1d"));
        CALLERS.put("operator", create("matrix-operator", "operator", "1d"));
        CALLERS.put("admin", create("matrix-admin", "admin", "1d"));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                gw.as(CALLERS.get("expired")).get("/api/v1/machines").status() == 401);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static String create(String name, String role, String expiresIn) {
        RunningGateway.Response r = gw.post("/api/v1/admin/tokens", Map.of("name", name, "role", role, "expiresIn", expiresIn));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("token").asText();
    }

    /** One mapped (method, path pattern), e.g. {@code POST /api/v1/machines/{id}/{action}}. */
    record Endpoint(String method, String pattern) implements Comparable<Endpoint> {
        @Override
        public int compareTo(Endpoint o) {
            return (pattern + " " + method).compareTo(o.pattern + " " + o.method);
        }

        @Override
        public String toString() {
            return method + " " + pattern;
        }
    }

    static Set<Endpoint> endpoints() {
        Set<Endpoint> all = new TreeSet<>();
        for (RequestMappingInfoHandlerMapping mapping : gw.context().getBeansOfType(RequestMappingInfoHandlerMapping.class).values()) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                for (String pattern : info.getPatternValues()) {
                    if (methods.isEmpty()) {
                        all.add(new Endpoint("GET", pattern)); // mapped for every method: GET stands for them
                    }
                    methods.forEach(m -> all.add(new Endpoint(m.name(), pattern)));
                }
            }
        }
        return all;
    }

    /** A concrete path for a pattern: the test machine, an action it refuses, names that do not exist. */
    static String sample(String pattern) {
        Matcher m = Pattern.compile("\\{\\*?([^}]+)}").matcher(pattern.replace("/**", "/{*rest}"));
        StringBuilder path = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "id" -> machine;
                case "action" -> "recover"; // a DISCOVERED machine refuses it: nothing changes
                default -> "no-such-" + m.group(1).toLowerCase().replaceAll("[^a-z]", "");
            };
            m.appendReplacement(path, value);
        }
        m.appendTail(path);
        return path.toString();
    }

    static Optional<AccessTable.Rule> ruleFor(Endpoint e) {
        return AccessTable.explicitRule(new MockHttpServletRequest(e.method(), sample(e.pattern())));
    }

    @Test
    void everyMappedEndpointIsNamedByTheAccessTable() {
        Set<Endpoint> all = endpoints();
        assertThat(all).as("the handler mappings were found").contains(
                new Endpoint("POST", "/api/v1/machines/{id}/{action}"), new Endpoint("GET", "/actuator/prometheus"));
        List<Endpoint> unnamed = all.stream().filter(e -> ruleFor(e).isEmpty()).toList();
        assertThat(unnamed).as("endpoints without a rule in AccessTable.RULES (they fall to admin-only)").isEmpty();
        assertThat(all.stream().filter(e -> e.pattern().startsWith("/api/")).allMatch(e -> ruleFor(e).isPresent())).isTrue();
    }

    /** The table's decisions that DESIGN §10 and issue 8 fix, so that the table cannot drift from them unnoticed. */
    @Test
    void theTableGivesEachRoleWhatTheDesignSays() {
        Map<String, AccessTable.Access> decided = new LinkedHashMap<>();
        decided.put("GET /api/v1/machines", AccessTable.Access.VIEWER);
        decided.put("GET /api/v1/machines/{id}/events", AccessTable.Access.VIEWER);
        decided.put("GET /api/v1/events", AccessTable.Access.VIEWER);
        decided.put("GET /api/v1/events/stream", AccessTable.Access.VIEWER);
        decided.put("GET /api/v1/machines/counts", AccessTable.Access.VIEWER);
        decided.put("GET /api/v1/lifecycle", AccessTable.Access.VIEWER);
        decided.put("GET /api/v1/session", AccessTable.Access.VIEWER);
        decided.put("GET /api/v1/machines/{id}/install-plan", AccessTable.Access.VIEWER);
        decided.put("GET /api/v1/admin/projections", AccessTable.Access.VIEWER);
        decided.put("GET /api/v1/cluster/intent", AccessTable.Access.VIEWER);
        decided.put("POST /api/v1/machines/{id}/{action}", AccessTable.Access.OPERATOR);
        decided.put("PUT /api/v1/cluster/intent", AccessTable.Access.ADMIN);
        decided.put("POST /api/v1/cluster/intent/preview", AccessTable.Access.ADMIN);
        decided.put("POST /api/v1/admin/projections/{name}/replay", AccessTable.Access.ADMIN);
        decided.put("GET /api/v1/admin/tokens", AccessTable.Access.ADMIN);
        decided.put("POST /api/v1/admin/tokens", AccessTable.Access.ADMIN);
        decided.put("DELETE /api/v1/admin/tokens/{name}", AccessTable.Access.ADMIN);
        decided.put("POST /api/v1/bootstrap/discover", AccessTable.Access.MACHINE);
        decided.put("GET /api/v1/bootstrap/plan", AccessTable.Access.MACHINE);
        decided.put("GET /api/v1/agent/desired-system", AccessTable.Access.MACHINE);
        decided.put("POST /api/v1/agent/activation", AccessTable.Access.MACHINE);
        decided.put("POST /api/v1/agent/directive", AccessTable.Access.MACHINE);
        decided.put("GET /images/installer/{file}", AccessTable.Access.MACHINE);
        decided.put("GET /api/v1/host-deployments", AccessTable.Access.VIEWER);
        decided.put("GET /api/v1/host-deployments/{id}", AccessTable.Access.VIEWER);
        decided.put("POST /api/v1/host-deployments", AccessTable.Access.OPERATOR);
        decided.put("POST /api/v1/host-deployments/{id}/{action}", AccessTable.Access.OPERATOR);
        decided.put("GET /actuator/health/liveness", AccessTable.Access.OPEN);
        decided.put("GET /actuator/prometheus", AccessTable.Access.VIEWER);
        decided.forEach((endpoint, access) -> {
            String[] parts = endpoint.split(" ");
            assertThat(ruleFor(new Endpoint(parts[0], parts[1]))).as(endpoint).map(AccessTable.Rule::access).contains(access);
        });
        // a path under /api/ that the table does not name is admin-only, not open
        assertThat(AccessTable.required(new MockHttpServletRequest("GET", "/api/v2/anything"))).isEqualTo(AccessTable.Access.ADMIN);
        assertThat(AccessTable.required(new MockHttpServletRequest("GET", "/index.html"))).isEqualTo(AccessTable.Access.OPEN);
        // the console's files are open (they hold no data; every API call they make carries the token)
        for (String file : List.of("/", "/index.html", "/console/app.js")) {
            assertThat(AccessTable.explicitRule(new MockHttpServletRequest("GET", file))).as(file)
                    .map(AccessTable.Rule::access).contains(AccessTable.Access.OPEN);
        }
    }

    @Test
    void everyEndpointAnswersEveryCallerAsTheAccessTableSays() {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Endpoint e : endpoints()) {
            AccessTable.Access access = ruleFor(e).map(AccessTable.Rule::access).orElse(AccessTable.Access.ADMIN);
            String path = sample(e.pattern());
            for (Map.Entry<String, String> caller : CALLERS.entrySet()) {
                RunningGateway.Response r = call(e.method(), path, caller.getValue());
                checked++;
                String what = e + " (" + path + ") as " + caller.getKey() + " [" + access + "]: " + r;
                expectation(access, caller.getKey(), r).ifPresent(f -> failures.add(what + " -- " + f));
                if (r.header("Set-Cookie").isPresent()) {
                    failures.add(what + " -- set a cookie");
                }
                if (!"nosniff".equals(r.header("X-Content-Type-Options").orElse(null))) {
                    failures.add(what + " -- no X-Content-Type-Options: nosniff");
                }
            }
        }
        assertThat(checked).isGreaterThan(100);
        assertThat(failures).isEmpty();
    }

    /** What is wrong with {@code r} for this caller and access, if anything. */
    private static Optional<String> expectation(AccessTable.Access access, String caller, RunningGateway.Response r) {
        boolean refused401 = r.status() == 401;
        boolean refused403 = r.status() == 403;
        if (access == AccessTable.Access.MACHINE) {
            // machine-facing: Spring Security stays out; an operator token is no credential there
            if (r.header("WWW-Authenticate").orElse("").contains("realm=\"" + SecurityProblems.REALM + "\"")) {
                return Optional.of("the operator chain answered a machine-facing endpoint");
            }
            return !"none".equals(caller) && r.status() < 300 ? Optional.of("an operator token opened it") : Optional.empty();
        }
        String expected;
        if (Set.of("unknown", "expired", "revoked").contains(caller)) {
            expected = "401"; // a presented credential that is not valid is refused wherever it is sent
        } else if (access == AccessTable.Access.OPEN) {
            expected = "in";
        } else if ("none".equals(caller)) {
            expected = "401";
        } else {
            expected = ROLES.get(caller).includes(access.role().orElseThrow()) ? "in" : "403";
        }
        String got = refused401 ? "401" : refused403 ? "403" : "in";
        if (!expected.equals(got)) {
            return Optional.of("expected " + expected + ", got " + got);
        }
        if ((refused401 || refused403) && !r.isProblem()) {
            return Optional.of("refusal is not problem+json");
        }
        if (refused401 && !r.header("WWW-Authenticate").orElse("").startsWith("Bearer")) {
            return Optional.of("401 without WWW-Authenticate: Bearer");
        }
        return Optional.empty();
    }

    private static RunningGateway.Response call(String method, String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl() + path));
        if (Set.of("POST", "PUT", "PATCH", "DELETE").contains(method)) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString("{}"));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return gw.as(token).send(b, Map.of());
    }
}
