package com.ultracloud.deployer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.ultracloud.deployer.gateway.security.AccessTable;
import com.ultracloud.deployer.machine.api.LifecycleAction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpMethod;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI description (issue 13): a title and the build's version; every mapped endpoint described (the action
 * endpoints as one path per action, each with its body), each operation with the problem responses it can give
 * ({@code application/problem+json}) and, for operator endpoints, the bearer scheme and the least role from the
 * access table; the intent's body typed; {@code /error} left out.
 */
class OpenApiTest {

    @TempDir
    static Path dataDir;
    static RunningGateway gw;
    static JsonNode doc;

    @BeforeAll
    static void start() {
        gw = RunningGateway.embedded(dataDir);
        RunningGateway.Response r = gw.anonymous().get("/v3/api-docs");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        doc = r.json();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void everyMappedEndpointIsDescribedWithItsProblemsAndItsRole() {
        assertThat(doc.at("/info/title").asText()).isEqualTo("UltraCloud Deployer API");
        assertThat(doc.at("/info/version").asText()).isNotBlank().isNotEqualTo("v0");
        assertThat(doc.get("paths").has("/error")).isFalse();
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (FuzzTargets.Target target : FuzzTargets.of(gw.context())) {
            if (!target.pattern().startsWith("/api/") && !target.pattern().startsWith("/images/")) {
                continue; // actuator, springdoc itself, Boot's error page
            }
            for (String path : documentedPaths(target.pattern())) {
                for (String method : target.methods()) {
                    JsonNode op = doc.path("paths").path(path).path(method.toLowerCase(Locale.ROOT));
                    if (op.isMissingNode()) {
                        failures.add(method + " " + path + ": not described");
                        continue;
                    }
                    checked++;
                    failures.addAll(problemsMissing(method, path, op));
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(checked).isGreaterThan(40);
    }

    /** The paths a mapped pattern is described as: one per action for the action endpoints. */
    private static List<String> documentedPaths(String pattern) {
        if (pattern.equals("/api/v1/machines/{id}/{action}")) {
            return java.util.Arrays.stream(LifecycleAction.values()).flatMap(a -> a.apiName().stream())
                    .map(name -> "/api/v1/machines/{id}/" + name).toList();
        }
        if (pattern.equals("/api/v1/host-deployments/{id}/{action}")) {
            return List.of("pause", "resume", "abort").stream().map(a -> "/api/v1/host-deployments/{id}/" + a).toList();
        }
        return List.of(pattern);
    }

    private static List<String> problemsMissing(String method, String path, JsonNode op) {
        List<String> missing = new ArrayList<>();
        AccessTable.Access access = AccessTable.forTemplate(HttpMethod.valueOf(method), path);
        List<String> expected = new ArrayList<>(List.of("406"));
        if (access != AccessTable.Access.OPEN) {
            expected.addAll(List.of("401", "403"));
        }
        if (path.contains("{")) {
            expected.addAll(List.of("400", "404"));
        }
        if (!method.equals("GET")) {
            expected.add("409");
        }
        if (op.has("requestBody")) {
            expected.addAll(List.of("400", "415"));
        }
        for (String status : expected) {
            JsonNode r = op.path("responses").path(status);
            if (!r.path("content").path("application/problem+json").path("schema").path("$ref").asText()
                    .equals("#/components/schemas/Problem")) {
                missing.add(method + " " + path + ": no " + status + " problem response");
            }
        }
        if (access.role().isPresent()) {
            if (!op.path("security").toString().contains("bearer")) {
                missing.add(method + " " + path + ": no bearer security");
            }
            if (!op.path("description").asText().contains("Least role: **" + access.name().toLowerCase(Locale.ROOT) + "**")) {
                missing.add(method + " " + path + ": does not name its least role " + access);
            }
        }
        return missing;
    }

    @Test
    void actionsAndTheIntentHaveTypedBodies() {
        JsonNode paths = doc.get("paths");
        JsonNode commission = paths.at("/~1api~1v1~1machines~1{id}~1commission/post");
        assertThat(commission.at("/requestBody/content/application~1json/schema/properties").fieldNames())
                .toIterable().contains("nodeClass", "pool", "hostname", "nodeId", "labels");
        assertThat(commission.at("/responses/202/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/MachineDetail");
        JsonNode install = paths.at("/~1api~1v1~1machines~1{id}~1install/post/requestBody/content/application~1json/schema");
        assertThat(install.at("/properties/attemptLimit/maximum").asInt()).isEqualTo(20);
        assertThat(paths.at("/~1api~1v1~1machines~1{id}~1mark-failed/post/requestBody/content/application~1json/schema/properties")
                .has("reason")).isTrue();
        assertThat(paths.at("/~1api~1v1~1machines~1{id}~1drain/post").has("requestBody")).as("drain takes no body").isFalse();
        assertThat(paths.at("/~1api~1v1~1machines~1{id}~1{action}").isMissingNode()).isTrue();
        assertThat(paths.at("/~1api~1v1~1host-deployments~1{id}~1pause/post/requestBody/content/application~1json/schema/properties")
                .has("reason")).isTrue();
        for (String intent : List.of("/~1api~1v1~1cluster~1intent/put", "/~1api~1v1~1cluster~1intent~1preview/post")) {
            assertThat(paths.at(intent + "/requestBody/content/application~1json/schema/$ref").asText())
                    .as(intent).isEqualTo("#/components/schemas/ClusterState");
        }
        assertThat(paths.at("/~1api~1v1~1events~1stream/get/responses/200/content").has("text/event-stream")).isTrue();
        assertThat(doc.at("/components/schemas/Problem/properties").has("errors")).isTrue();
        assertThat(doc.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
    }
}
