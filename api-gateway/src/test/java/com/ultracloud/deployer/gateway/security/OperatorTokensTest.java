package com.ultracloud.deployer.gateway.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.ultracloud.deployer.gateway.Hardware;
import com.ultracloud.deployer.gateway.RunningGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * API tokens end to end with security on: the first-start admin token file, creating, listing and
 * revoking tokens, the principal in events, the JSON-or-Authorization rule, security headers, and no
 * token secret in the log, a response that is not its creation, or the database.
 */
class OperatorTokensTest {

    @TempDir
    static Path dataDir;
    static Path log;
    static RunningGateway gw;

    @BeforeAll
    static void start() {
        log = dataDir.resolve("gateway.log");
        gw = RunningGateway.embedded(dataDir, "--logging.file.name=" + log);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void theFirstStartWritesAnAdminTokenOnlyItsOwnerCanReadAndLogsOnlyThePath() throws IOException {
        Path file = dataDir.resolve("admin-token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String token = Files.readString(file).strip();
        assertThat(token).matches("ucd_[A-Za-z0-9_-]{43}").isEqualTo(gw.token());
        String logged = Files.readString(log);
        assertThat(logged).contains("written to " + file.toAbsolutePath()).doesNotContain(token);
        JsonNode initial = gw.get("/api/v1/admin/tokens/initial-admin").json();
        assertThat(initial.get("role").asText()).isEqualTo("admin");
        assertThat(initial.get("createdBy").asText()).isEqualTo("system:first-start");
    }

    @Test
    void aCreatedTokenIsShownOnceStoredOnlyAsItsHashAndNeverLogged() throws IOException {
        RunningGateway.Response created = gw.post("/api/v1/admin/tokens",
                Map.of("name", "ci", "role", "operator", "expiresIn", "30d"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("Location")).contains("/api/v1/admin/tokens/ci");
        assertThat(created.header("Cache-Control").orElse("")).contains("no-store");
        String token = created.json().get("token").asText();
        assertThat(token).matches("ucd_[A-Za-z0-9_-]{43}");
        assertThat(created.json().get("createdBy").asText()).isEqualTo("token:initial-admin");
        assertThat(created.json().get("role").asText()).isEqualTo("operator");

        String list = gw.get("/api/v1/admin/tokens").body();
        String one = gw.get("/api/v1/admin/tokens/ci").body();
        assertThat(list).contains("\"ci\"").doesNotContain(token).doesNotContain("sha256");
        assertThat(one).contains("\"status\":\"active\"").doesNotContain(token).doesNotContain("sha256");

        List<Map<String, Object>> rows = gw.bean(JdbcTemplate.class).queryForList("select * from api_token where name = 'ci'");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).values()).doesNotContain(token);
        assertThat(rows.get(0).get("TOKEN_HASH")).isEqualTo(ApiTokens.hash(token));

        assertThat(gw.as(token).get("/api/v1/machines").status()).isEqualTo(200);
        assertThat(Files.readString(log)).contains("API token 'ci' (operator) created by token:initial-admin")
                .doesNotContain(token).doesNotContain(gw.token());
    }

    @Test
    void eventsOfAnOperatorsActionsNameItsToken() {
        String token = create("alice", "operator", "1d");
        String machine = discover(82);
        RunningGateway.Response inspected = gw.as(token).post("/api/v1/machines/" + machine + "/inspect", null);
        assertThat(inspected.status()).as(inspected.toString()).isEqualTo(202);
        RunningGateway.Response failed = gw.as(token).post("/api/v1/machines/" + machine + "/mark-failed",
                Map.of("reason", "fan failure"));
        assertThat(failed.status()).as(failed.toString()).isEqualTo(202);
        JsonNode events = gw.get("/api/v1/machines/" + machine + "/events").json();
        assertThat(events.get(0).at("/metadata/principal").asText()).startsWith("installer@");
        for (JsonNode e : events) {
            if (List.of("MachineInspected", "MachineMarkedFailed").contains(e.get("type").asText())) {
                assertThat(e.at("/metadata/principal").asText()).as(e.toString()).isEqualTo("token:alice");
            }
        }
        JsonNode marked = find(events, "MachineMarkedFailed");
        assertThat(marked.at("/payload/by").asText()).isEqualTo("token:alice");
        assertThat(events.toString()).doesNotContain("anonymous@").doesNotContain(token);
    }

    @Test
    void aRevokedOrExpiredTokenIsRefusedWith401SayingWhy() {
        String revoked = create("to-revoke", "viewer", "1d");
        assertThat(gw.as(revoked).get("/api/v1/machines").status()).isEqualTo(200);
        RunningGateway.Response revocation = gw.send(HttpRequest.newBuilder(
                URI.create(gw.baseUrl() + "/api/v1/admin/tokens/to-revoke")).DELETE(), Map.of());
        assertThat(revocation.status()).as(revocation.toString()).isEqualTo(200);
        assertThat(revocation.json().get("status").asText()).isEqualTo("revoked");
        assertThat(revocation.json().get("revokedBy").asText()).isEqualTo("token:initial-admin");
        RunningGateway.Response refused = gw.as(revoked).get("/api/v1/machines");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.isProblem()).isTrue();
        assertThat(refused.json().get("detail").asText()).contains("'to-revoke' was revoked");
        assertThat(refused.header("WWW-Authenticate")).contains("Bearer realm=\"deployer\", error=\"invalid_token\"");
        assertThat(refused.body()).doesNotContain(revoked);

        String shortLived = create("short-lived", "admin", "1s");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            RunningGateway.Response expired = gw.as(shortLived).get("/api/v1/machines");
            assertThat(expired.status()).isEqualTo(401);
            assertThat(expired.json().get("detail").asText()).contains("'short-lived' expired at");
        });
        RunningGateway.Response none = gw.anonymous().get("/api/v1/machines");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).contains("Bearer realm=\"deployer\"");
        assertThat(none.json().get("detail").asText()).contains("Authorization: Bearer");
    }

    @Test
    void credentialsThatAreNotBearerTokensAreRefusedAsProblems() {
        for (String authorization : List.of("Basic YWRtaW46YWRtaW4=", "DPoP " + gw.token(), "Bearer", "Bearer a b",
                "Bearer " + gw.token() + "x", "Digest username=\"admin\"")) {
            RunningGateway.Response r = gw.get("/api/v1/machines", Map.of("Authorization", authorization));
            assertThat(r.status()).as(authorization).isEqualTo(401);
            assertThat(r.isProblem()).as(authorization + ": " + r).isTrue();
            assertThat(r.header("WWW-Authenticate").orElse("")).as(authorization).startsWith("Bearer realm=\"deployer\"");
            assertThat(r.body()).doesNotContain(gw.token());
        }
    }

    @Test
    void aViewerIsRefusedAnActionWith403NamingTheRoleItNeeds() {
        String viewer = create("watcher", "viewer", "1d");
        RunningGateway.Response r = gw.as(viewer).post("/api/v1/machines/" + discover(83) + "/inspect", null);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.isProblem()).isTrue();
        assertThat(r.json().get("detail").asText()).contains("needs the operator role").contains("token:watcher has the viewer role");
    }

    @Test
    void badTokenRequestsAreAnsweredWithEveryProblem() {
        RunningGateway.Response bad = gw.post("/api/v1/admin/tokens", Map.of("name", " spaced name", "role", "root",
                "expiresIn", "forever"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").findValuesAsText("field")).containsExactly("name", "role", "expiresIn");
        RunningGateway.Response tooLong = gw.post("/api/v1/admin/tokens", Map.of("name", "x", "role", "viewer", "expiresIn", "99999d"));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().get("errors").findValuesAsText("field")).containsExactly("expiresIn");
        create("twice", "viewer", "1h");
        RunningGateway.Response again = gw.post("/api/v1/admin/tokens", Map.of("name", "twice", "role", "viewer"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("type").asText()).endsWith("name-taken");
        RunningGateway.Response unknown = gw.send(HttpRequest.newBuilder(
                URI.create(gw.baseUrl() + "/api/v1/admin/tokens/nobody")).DELETE(), Map.of());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.isProblem()).isTrue();
    }

    @Test
    void aWriteNeedsAJsonContentTypeOrAnAuthorizationHeader() {
        String machine = discover(84);
        String path = "/api/v1/machines/" + machine + "/inspect";
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")) {
            RunningGateway.Response r = gw.anonymous().send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                    .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString("")), Map.of());
            assertThat(r.status()).as(type).isEqualTo(415);
            assertThat(r.json().get("type").asText()).isEqualTo("urn:ultracloud:problem:json-or-authorization-required");
            assertThat(r.json().get("detail").asText()).contains("Content-Type: application/json").contains("Authorization");
        }
        RunningGateway.Response noType = gw.anonymous().send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.noBody()), Map.of());
        assertThat(noType.status()).isEqualTo(415);
        RunningGateway.Response discover = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/bootstrap/discover"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}")), Map.of());
        assertThat(discover.status()).as("machine-facing writes too").isEqualTo(415);
        // JSON with parameters passes the rule (and then needs a credential)
        RunningGateway.Response json = gw.anonymous().send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .header("Content-Type", "application/json; charset=UTF-8").POST(HttpRequest.BodyPublishers.noBody()), Map.of());
        assertThat(json.status()).isEqualTo(401);
        // an Authorization header passes it without a body or content type (curl -XPOST -H 'Authorization: …')
        RunningGateway.Response bodiless = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.noBody()), Map.of());
        assertThat(bodiless.status()).as(bodiless.toString()).isEqualTo(202);
    }

    @Test
    void responsesCarryTheSecurityHeadersAndNoCookie() {
        for (RunningGateway.Response r : List.of(gw.get("/api/v1/machines"), gw.anonymous().get("/api/v1/machines"),
                gw.get("/actuator/health"), gw.get("/api/v1/bootstrap/plan"))) {
            assertThat(r.header("X-Content-Type-Options")).as(r.toString()).contains("nosniff");
            assertThat(r.header("Referrer-Policy")).as(r.toString()).contains("no-referrer");
            assertThat(r.header("X-Frame-Options")).as(r.toString()).contains("DENY");
            assertThat(r.header("Cache-Control").orElse("")).as(r.toString()).contains("no-store");
            assertThat(r.header("Set-Cookie")).as(r.toString()).isEmpty();
        }
    }

    private static String create(String name, String role, String expiresIn) {
        RunningGateway.Response r = gw.post("/api/v1/admin/tokens", Map.of("name", name, "role", role, "expiresIn", expiresIn));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("token").asText();
    }

    private static String discover(int n) {
        RunningGateway.Response r = gw.post("/api/v1/bootstrap/discover", Hardware.clone("server-nvme-sata-usb", n));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("machineId").asText();
    }

    private static JsonNode find(JsonNode events, String type) {
        for (JsonNode e : events) {
            if (type.equals(e.get("type").asText())) {
                return e;
            }
        }
        throw new AssertionError("no " + type + " in " + events);
    }
}
