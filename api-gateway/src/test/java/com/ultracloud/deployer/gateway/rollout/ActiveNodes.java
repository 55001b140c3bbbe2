package com.ultracloud.deployer.gateway.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.ultracloud.deployer.gateway.Hardware;
import com.ultracloud.deployer.gateway.RunningGateway;
import com.ultracloud.deployer.gateway.agent.NodeAgent;
import com.ultracloud.deployer.gateway.bootstrap.Installs;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Machines brought to ACTIVE the way the product does it: installed over the bootstrap API, then a healthy agent report. */
public final class ActiveNodes {

    private ActiveNodes() {
    }

    /** An ACTIVE node and its agent. */
    public record Node(String machineId, String hostname, NodeAgent agent) {
    }

    public static Node install(RunningGateway gw, int n, String hostname) {
        Installs.Done done = Installs.installFully(gw, Hardware.clone("server-nvme-sata-usb", n), "worker", "general", hostname);
        NodeAgent agent = NodeAgent.of(gw, done.plan().at("/secrets/tls"));
        // as the real agent: it finds its first-boot target (the installed system), confirms it and reports healthy
        NodeAgent.Answer target = agent.desiredSystem("10s", null);
        assertThat(target.status()).as(target.body()).isEqualTo(200);
        JsonNode firstBoot = target.json();
        NodeAgent.Answer healthy = agent.report(firstBoot.get("deploymentId").asText(), "healthy",
                "/nix/store/0000-installed-" + hostname, firstBoot.get("generation").asLong(), "first boot");
        assertThat(healthy.status()).as(healthy.body()).isEqualTo(202);
        assertThat(healthy.json().get("state").asText()).isEqualTo("ACTIVE");
        // the rollout reads the inventory: wait until it shows the machine ACTIVE and healthy
        long version = healthy.json().get("version").asLong();
        JsonNode detail = gw.get("/api/v1/machines/" + done.machineId() + "?minVersion=" + version).json();
        assertThat(detail.get("state").asText()).isEqualTo("ACTIVE");
        return new Node(done.machineId(), hostname, agent);
    }

    /** The lab intent's own host deployments have run (they found no ACTIVE machine): they cannot take ours. */
    public static void intentDeploymentsFinished(RunningGateway gw) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode all = gw.get("/api/v1/host-deployments").json();
            assertThat(all.get("total").asLong()).as(all.toString()).isGreaterThanOrEqualTo(2);
            JsonNode open = gw.get("/api/v1/host-deployments?state=PENDING,IN_PROGRESS,PAUSED").json();
            assertThat(open.get("total").asLong()).as(open.toString()).isZero();
        });
    }

    /** Polls the deployment until {@code state}, and answers it. */
    public static JsonNode awaitState(RunningGateway gw, String deploymentId, String state) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            RunningGateway.Response r = gw.get("/api/v1/host-deployments/" + deploymentId);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            last[0] = r.json();
            assertThat(last[0].get("state").asText()).as(r.toString()).isEqualTo(state);
        });
        return last[0];
    }
}
