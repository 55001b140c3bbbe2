package com.ultracloud.deployer.gateway.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.ultracloud.deployer.gateway.Hardware;
import com.ultracloud.deployer.gateway.RunningGateway;
import com.ultracloud.deployer.gateway.bootstrap.Installs;
import com.ultracloud.deployer.gateway.bootstrap.LabIntent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operators' host-deployment API over HTTP (issue 10): create (201, idempotent 200, 409 for another spec, 400
 * with every field), list, read with {@code minVersion}, and pause/resume/abort with the write side's 409s.
 */
class HostDeploymentApiTest {

    @TempDir
    static Path dataDir;
    static RunningGateway gw;

    @BeforeAll
    static void start() {
        gw = LabIntent.start("--deployer.data-dir=" + dataDir);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void theIntentsHostDeploymentsAreCreatedOnImportAndAReimportCreatesNoMore() {
        ActiveNodes.intentDeploymentsFinished(gw);
        JsonNode before = gw.get("/api/v1/host-deployments").json();
        List<String> ids = new ArrayList<>();
        before.get("items").forEach(i -> ids.add(i.get("deploymentId").asText()));
        assertThat(ids).anyMatch(id -> id.startsWith("intent-control-plane-")).anyMatch(id -> id.startsWith("intent-data-plane-"));
        LabIntent.importInto(gw); // the same intent again
        assertThat(gw.get("/api/v1/host-deployments").json().get("total").asLong()).isEqualTo(before.get("total").asLong());
    }

    @Test
    void aDeploymentIsCreatedReadPausedResumedAndAbortedWithTheWriteSidesRefusals() {
        ActiveNodes.intentDeploymentsFinished(gw);
        ActiveNodes.Node node = ActiveNodes.install(gw, 760, "hd-api-760");
        Map<String, Object> spec = Map.of("id", "api-test-1", "selector", Map.of("hostnames", List.of(node.hostname())),
                "system", Map.of("storePath", "/nix/store/3333-nixos-system"), "batchSize", 1);

        RunningGateway.Response created = gw.post("/api/v1/host-deployments", spec);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("Location")).contains("/api/v1/host-deployments/api-test-1");
        assertThat(created.json().get("created").asBoolean()).isTrue();
        long generation = created.json().get("generation").asLong();
        assertThat(generation).isPositive();

        RunningGateway.Response again = gw.post("/api/v1/host-deployments", spec);
        assertThat(again.status()).as("the same spec again changes nothing").isEqualTo(200);
        assertThat(again.json().get("created").asBoolean()).isFalse();
        RunningGateway.Response other = gw.post("/api/v1/host-deployments", Map.of("id", "api-test-1",
                "selector", Map.of("hostnames", List.of(node.hostname())), "system", Map.of("storePath", "/nix/store/4444-other")));
        assertThat(other.status()).as(other.toString()).isEqualTo(409);
        assertThat(other.isProblem()).isTrue();
        assertThat(other.json().get("code").asText()).isEqualTo("CONFLICT");
        assertThat(other.json().get("deploymentId").asText()).isEqualTo("api-test-1");

        JsonNode inProgress = ActiveNodes.awaitState(gw, "api-test-1", "IN_PROGRESS");
        assertThat(inProgress.get("generation").asLong()).isEqualTo(generation);
        assertThat(inProgress.get("summary").asText()).contains("hosts hd-api-760").contains("/nix/store/3333-nixos-system");
        assertThat(inProgress.at("/counts/targets").asInt()).isEqualTo(1);
        assertThat(gw.get("/api/v1/host-deployments?state=IN_PROGRESS").body()).contains("api-test-1");

        RunningGateway.Response paused = gw.post("/api/v1/host-deployments/api-test-1/pause", Map.of("reason", "maintenance window"));
        assertThat(paused.status()).as(paused.toString()).isEqualTo(202);
        assertThat(paused.json().get("state").asText()).isEqualTo("PAUSED");
        JsonNode read = gw.get("/api/v1/host-deployments/api-test-1?minVersion=" + paused.json().get("version").asLong()).json();
        assertThat(read.get("state").asText()).as("read your write").isEqualTo("PAUSED");
        assertThat(read.get("reason").asText()).isEqualTo("maintenance window");

        RunningGateway.Response pausedAgain = gw.post("/api/v1/host-deployments/api-test-1/pause", null);
        assertThat(pausedAgain.status()).as(pausedAgain.toString()).isEqualTo(409);
        assertThat(pausedAgain.json().get("type").asText()).isEqualTo("urn:ultracloud:problem:illegal-transition");
        assertThat(pausedAgain.json().get("currentState").asText()).isEqualTo("PAUSED");
        assertThat(pausedAgain.json().get("command").asText()).isEqualTo("pause");
        assertThat(pausedAgain.json().get("allowedFrom").toString()).isEqualTo("[\"IN_PROGRESS\"]");

        assertThat(gw.post("/api/v1/host-deployments/api-test-1/resume", null).json().get("state").asText()).isEqualTo("IN_PROGRESS");
        RunningGateway.Response aborted = gw.post("/api/v1/host-deployments/api-test-1/abort", Map.of("reason", "wrong system"));
        assertThat(aborted.status()).isEqualTo(202);
        assertThat(aborted.json().get("state").asText()).isEqualTo("ABORTED");
        RunningGateway.Response resumeAborted = gw.post("/api/v1/host-deployments/api-test-1/resume", null);
        assertThat(resumeAborted.status()).isEqualTo(409);
        assertThat(resumeAborted.json().get("allowedFrom").toString()).isEqualTo("[\"PAUSED\"]");
        JsonNode abortedView = gw.get("/api/v1/host-deployments/api-test-1?minVersion=" + aborted.json().get("version").asLong()).json();
        assertThat(abortedView.get("reason").asText()).contains("aborted by").contains("wrong system");

        assertThat(gw.get("/api/v1/host-deployments/no-such-deployment").status()).isEqualTo(404);
        assertThat(gw.post("/api/v1/host-deployments/api-test-1/restart", null).status()).isEqualTo(404);
        assertThat(gw.post("/api/v1/host-deployments/no-such-deployment/pause", null).status()).isEqualTo(404);
        RunningGateway.Response beyond = gw.get("/api/v1/host-deployments/api-test-1?minVersion=999");
        assertThat(beyond.status()).isEqualTo(400);
        // another aggregate's id (a machine's events are stored under it) is no deployment: 404 at once, not a 503
        String machine = Installs.discover(gw, Hardware.clone("server-nvme-sata-usb", 7_301));
        RunningGateway.Response notADeployment = gw.get("/api/v1/host-deployments/" + machine + "?minVersion=0");
        assertThat(notADeployment.status()).as(notADeployment.toString()).isEqualTo(404);
    }

    @Test
    void anInvalidSpecIsA400NamingEveryField() {
        RunningGateway.Response r = gw.post("/api/v1/host-deployments", Map.of("id", "Bad Id",
                "selector", Map.of(), "system", Map.of("flake", "github:x/y", "attribute", "packages.x86_64-linux.default"),
                "batchSize", 0, "maxUnavailable", "150%", "drain", Map.of("mode", "sometimes"),
                "activation", Map.of("strategy", "reboot", "rollbackPolicy", "never",
                        "healthCheck", Map.of("type", "http", "url", "ftp://x"))));
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.isProblem()).isTrue();
        List<String> fields = new ArrayList<>();
        r.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields).contains("selector", "system.attribute", "batchSize", "maxUnavailable", "drain.mode",
                "activation.strategy", "activation.rollbackPolicy", "activation.healthCheck.url", "id");
        RunningGateway.Response intentId = gw.post("/api/v1/host-deployments", Map.of("id", "intent-mine",
                "selector", Map.of("pools", List.of("general")), "system", Map.of("storePath", "/nix/store/5555-x")));
        assertThat(intentId.status()).isEqualTo(400);
        assertThat(gw.get("/api/v1/host-deployments?state=SOMETIMES").status()).isEqualTo(400);
        assertThat(gw.get("/api/v1/host-deployments?size=0").status()).isEqualTo(400);
    }
}
