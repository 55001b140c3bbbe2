package com.ultracloud.deployer.gateway.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.ultracloud.deployer.gateway.RunningGateway;
import com.ultracloud.deployer.gateway.agent.NodeAgent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host rollout end to end, in process, over the operator and agent APIs (issue 10): four machines installed and
 * brought ACTIVE by healthy agent reports; a deployment with batch size 2 sets their desired systems two at a time
 * and succeeds on healthy reports; a second one fails at its threshold when one machine reports rolled-back, and
 * leaves the machines it had not reached untouched. Shared by the embedded and the PostgreSQL test.
 */
final class RolloutScenario {

    private final RunningGateway gw;
    private final int base;

    RolloutScenario(RunningGateway gw, int base) {
        this.gw = gw;
        this.base = base;
    }

    void run() throws Exception {
        ActiveNodes.intentDeploymentsFinished(gw);
        List<ActiveNodes.Node> nodes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            nodes.add(ActiveNodes.install(gw, base + i, "ro-" + (base + i)));
        }
        List<String> hostnames = nodes.stream().map(ActiveNodes.Node::hostname).toList();

        // deployment A: batch size 2, per-host flake target
        String a = "ro-a-" + base;
        RunningGateway.Response created = gw.post("/api/v1/host-deployments", Map.of("id", a,
                "selector", Map.of("hostnames", hostnames),
                "system", Map.of("flake", "github:example/fleet", "attribute", "nixosConfigurations.{hostname}"),
                "batchSize", 2, "maxUnavailable", 2));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long generationA = created.json().get("generation").asLong();
        String tagA = "\"" + a + ":" + generationA + "\"";

        for (ActiveNodes.Node n : nodes.subList(0, 2)) {
            NodeAgent.Answer desired = n.agent().desiredSystem("30s", null);
            assertThat(desired.status()).as(desired.body()).isEqualTo(200);
            assertThat(desired.etag()).isEqualTo(tagA);
            assertThat(desired.json().at("/system/configuration").asText()).isEqualTo(n.hostname());
        }
        for (ActiveNodes.Node n : nodes.subList(2, 4)) {
            assertThat(n.agent().desiredSystem(null, null).status()).as("the second batch waits for the first").isEqualTo(204);
        }
        for (ActiveNodes.Node n : nodes.subList(0, 2)) {
            healthy(n, a, generationA, "/nix/store/1111-" + n.hostname());
        }
        for (ActiveNodes.Node n : nodes.subList(2, 4)) {
            NodeAgent.Answer desired = n.agent().desiredSystem("30s", null); // held until the saga reaches it
            assertThat(desired.status()).as(desired.body()).isEqualTo(200);
            assertThat(desired.etag()).isEqualTo(tagA);
            healthy(n, a, generationA, "/nix/store/1111-" + n.hostname());
        }
        JsonNode succeeded = ActiveNodes.awaitState(gw, a, "SUCCEEDED");
        assertThat(succeeded.at("/counts/rolledOut").asInt()).isEqualTo(4);
        assertThat(succeeded.at("/counts/failed").asInt()).isZero();
        assertThat(succeeded.at("/progress/percent").asInt()).isEqualTo(100);
        for (JsonNode m : succeeded.get("machines")) {
            assertThat(m.get("phase").asText()).isEqualTo("rolled-out");
            assertThat(m.get("desiredSystem").asText()).startsWith("github:example/fleet#nixosConfigurations.ro-");
            assertThat(m.get("runningSystem").asText()).startsWith("/nix/store/1111-ro-");
            assertThat(m.get("lastResult").asText()).isEqualTo("healthy");
        }

        // deployment B: the first batch's second machine rolls back; threshold 1 stops it, the rest untouched
        String b = "ro-b-" + base;
        RunningGateway.Response createdB = gw.post("/api/v1/host-deployments", Map.of("id", b,
                "selector", Map.of("hostnames", hostnames),
                "system", Map.of("storePath", "/nix/store/2222-nixos-system-b"),
                "batchSize", 2, "maxUnavailable", 2, "failureThreshold", 1,
                "activation", Map.of("healthCheck", Map.of("type", "http", "url", "http://127.0.0.1:9100/metrics"))));
        assertThat(createdB.status()).as(createdB.toString()).isEqualTo(201);
        long generationB = createdB.json().get("generation").asLong();
        assertThat(generationB).isGreaterThan(generationA);
        String tagB = "\"" + b + ":" + generationB + "\"";
        for (ActiveNodes.Node n : nodes.subList(0, 2)) {
            NodeAgent.Answer desired = n.agent().desiredSystem("30s", tagA); // the long-poll ends on B's target
            assertThat(desired.status()).as(desired.body()).isEqualTo(200);
            assertThat(desired.etag()).isEqualTo(tagB);
        }
        healthy(nodes.get(0), b, generationB, "/nix/store/2222-nixos-system-b");
        NodeAgent.Answer rolledBack = nodes.get(1).agent().report(b, "rolled-back", "/nix/store/1111-" + nodes.get(1).hostname(),
                generationB, "health check failed: GET http://127.0.0.1:9100/metrics answered 503; rolled back");
        assertThat(rolledBack.status()).as(rolledBack.body()).isEqualTo(202);

        JsonNode failed = ActiveNodes.awaitState(gw, b, "FAILED");
        assertThat(failed.at("/counts/rolledOut").asInt()).isEqualTo(1);
        assertThat(failed.at("/counts/failed").asInt()).isEqualTo(1);
        assertThat(failed.at("/counts/queued").asInt()).as("machines not reached").isEqualTo(2);
        assertThat(failed.get("reason").asText()).contains("1 of 1");
        for (ActiveNodes.Node n : nodes.subList(2, 4)) {
            NodeAgent.Answer unchanged = n.agent().desiredSystem(null, tagA);
            assertThat(unchanged.status()).as("still deployment A's target").isEqualTo(304);
            assertThat(gw.get("/api/v1/machines/" + n.machineId() + "/events").body()).doesNotContain(b);
        }
        JsonNode m1 = gw.get("/api/v1/machines/" + nodes.get(1).machineId()).json();
        assertThat(m1.get("state").asText()).as("lifecycle and rollout side by side").isEqualTo("ACTIVE");
        assertThat(m1.at("/rollout/status").asText()).isEqualTo("rolled-back");
        assertThat(m1.at("/rollout/deploymentId").asText()).isEqualTo(b);
        assertThat(m1.at("/health/status").asText()).isEqualTo("unhealthy");
    }

    private static void healthy(ActiveNodes.Node n, String deployment, long generation, String running) {
        NodeAgent.Answer started = n.agent().report(deployment, "started", null, generation, "activate");
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        NodeAgent.Answer healthy = n.agent().report(deployment, "healthy", running, generation, "healthy");
        assertThat(healthy.status()).as(healthy.body()).isEqualTo(202);
    }
}
