package com.ultracloud.deployer.gateway.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.gateway.RunningGateway;
import com.ultracloud.deployer.gateway.TestInstallers;
import com.ultracloud.deployer.protocol.InstallProgress;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The operator's and the installer's side of an install, over HTTP, against a running gateway. */
public final class Installs {

    private Installs() {
    }

    public static String discover(RunningGateway gw, ObjectNode facts) {
        RunningGateway.Response r = gw.post("/api/v1/bootstrap/discover", facts);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("machineId").asText();
    }

    /** discover → inspect → commission (explicit body) → install: the machine is INSTALL_PENDING. */
    public static String requestInstall(RunningGateway gw, ObjectNode facts, String nodeClass, String pool, String hostname) {
        String id = discover(gw, facts);
        String m = "/api/v1/machines/" + id;
        assertThat(gw.post(m + "/inspect", null).status()).isEqualTo(202);
        Map<String, Object> assignment = new HashMap<>(Map.of("nodeClass", nodeClass, "pool", pool, "hostname", hostname,
                "nodeId", hostname, "labels", Map.of("rack", "a")));
        RunningGateway.Response commissioned = gw.post(m + "/commission", assignment);
        assertThat(commissioned.status()).as(commissioned.toString()).isEqualTo(202);
        RunningGateway.Response install = gw.post(m + "/install", Map.of("attemptLimit", 2));
        assertThat(install.status()).as(install.toString()).isEqualTo(202);
        assertThat(install.json().get("state").asText()).isEqualTo("INSTALL_PENDING");
        return id;
    }

    /** Discovers again until the answer carries an install token (the saga issues the plan asynchronously). */
    public static String awaitToken(RunningGateway gw, ObjectNode facts) {
        AtomicReference<String> token = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode r = gw.post("/api/v1/bootstrap/discover", facts).json();
            assertThat(r.get("state").asText()).isEqualTo("INSTALL_PENDING");
            assertThat(r.has("installToken")).as(r.toString()).isTrue();
            assertThat(r.get("instruction").asText()).isEqualTo("install");
            token.set(r.get("installToken").asText());
        });
        return token.get();
    }

    public static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    /**
     * The plan as the installer that holds the token reads it: its secrets opened with that installer's key
     * (the answer itself carries them sealed, and no private key in the clear).
     */
    public static RunningGateway.Response fetchPlan(RunningGateway gw, String token, String query) {
        RunningGateway.Response r = fetchSealedPlan(gw, token, query);
        if (r.status() != 200) {
            return r;
        }
        assertThat(r.body()).as("the plan answer as it crossed the wire").doesNotContain("PRIVATE KEY");
        assertThat(r.json().path("secrets").has("sealed")).as(r.toString()).isTrue();
        return new RunningGateway.Response(r.status(), r.contentType(), r.etag(), TestInstallers.open(r.json()).toString(),
                r.headers());
    }

    /** The plan answer exactly as it came over the wire. */
    public static RunningGateway.Response fetchSealedPlan(RunningGateway gw, String token, String query) {
        return gw.get("/api/v1/bootstrap/plan" + query, bearer(token));
    }

    public static RunningGateway.Response progress(RunningGateway gw, String token, String planId, String result,
                                                   String step, Integer percent, String message) {
        Map<String, Object> body = new HashMap<>();
        body.put("planId", planId);
        body.put("result", result);
        if (step != null) body.put("step", step);
        if (percent != null) body.put("percent", percent);
        if (message != null) body.put("message", message);
        Map<String, String> headers = new HashMap<>(bearer(token));
        String progressToken = TestInstallers.progressToken(planId);
        if (progressToken != null) {
            headers.put(InstallProgress.PROGRESS_TOKEN_HEADER, progressToken); // as the installer that opened the plan
        }
        return gw.post("/api/v1/bootstrap/progress", body, headers);
    }

    /** The whole install of one machine; answers the plan response and the token used. */
    public record Done(String machineId, String token, JsonNode plan) {
    }

    public static Done installFully(RunningGateway gw, ObjectNode facts, String nodeClass, String pool, String hostname) {
        String id = requestInstall(gw, facts, nodeClass, pool, hostname);
        String token = awaitToken(gw, facts);
        RunningGateway.Response plan = fetchPlan(gw, token, "?wait=10s&machineId=" + id);
        assertThat(plan.status()).as(plan.toString()).isEqualTo(200);
        String planId = plan.json().get("plan").get("planId").asText();
        assertThat(gw.get("/api/v1/machines/" + id + "?consistent=true").json().get("state").asText()).isEqualTo("INSTALLING");
        for (String step : List.of("disko", "nixos-install")) {
            RunningGateway.Response r = progress(gw, token, planId, "running", step, 50, "running " + step);
            assertThat(r.status()).as(r.toString()).isEqualTo(202);
            assertThat(r.json().get("state").asText()).isEqualTo("INSTALLING");
        }
        RunningGateway.Response done = progress(gw, token, planId, "succeeded", "done", 100, "installed");
        assertThat(done.status()).as(done.toString()).isEqualTo(202);
        assertThat(done.json().get("state").asText()).isEqualTo("INSTALLED");
        return new Done(id, token, plan.json());
    }
}
