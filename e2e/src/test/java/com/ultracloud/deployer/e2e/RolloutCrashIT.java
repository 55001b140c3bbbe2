package com.ultracloud.deployer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static com.ultracloud.deployer.e2e.GatewayProcess.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rollout survives its gateway: the gateway (postgres profile, its own database) is killed with {@code kill -9}
 * while a rollout over the six lab machines is between batches, and started again on the same ports. The agents
 * ride it out (their long-polls and reports back off and retry; a verdict the dead gateway could not take is kept
 * and sent again), the saga and its deadlines resume from the database, and the rollout completes. Every new system
 * has another kernel ({@code --reboot-required}), so each machine also goes through the staged reboot and its
 * confirm.
 */
class RolloutCrashIT {

    private static final List<String> HOSTS = List.of("cp-1", "cp-2", "cp-3", "storage-1", "worker-1", "worker-2");
    private static final String NEW_SYSTEM = "/nix/store/0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e-nixos-system-fleet-3";

    @TempDir
    Path tmp;

    @Test
    void aGatewayKilledMidRolloutAndRestartedCompletesTheRollout() throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create("e2e_rollout_crash")) {
            run(db.url());
        }
    }

    private void run(String jdbcUrl) throws Exception {
        int port = GatewayProcess.freePort();
        int httpsPort = GatewayProcess.freePort();
        Path data = tmp.resolve("gateway");
        String[] args = {"--spring.profiles.active=postgres", "--spring.datasource.url=" + jdbcUrl};
        GatewayProcess gateway = GatewayProcess.start(port, httpsPort, data, args);
        InstallerProcess lab = null;
        try {
            gateway.importLabIntent();
            lab = InstallerProcess.labWithAgents(tmp, gateway, "--reboot-required", "--activation-delay-ms", "2500",
                    "--timeout", "900");
            for (String host : HOSTS) {
                InstallerProcess running = lab;
                await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        assertThat(gateway.stateOfHost(host)).as(host + "\n" + running.out()).isEqualTo("ACTIVE"));
            }
            gateway.post("/api/v1/host-deployments", JSON.readTree("""
                    {"id": "fleet-3", "selector": {"pools": ["control-plane", "storage", "general"]},
                     "system": {"storePath": "%s"}, "batchSize": 2, "maxUnavailable": 2,
                     "activation": {"strategy": "switch", "activationTimeoutSeconds": 600, "confirmTimeoutSeconds": 60,
                                    "healthCheck": {"type": "systemd", "units": ["sshd.service"]}},
                     "failureThreshold": 1}""".formatted(NEW_SYSTEM)));
            // kill once the first batch is done and the rest is still to come
            Instant until = Instant.now().plusSeconds(120);
            while (rolledOut(gateway) < 1 && Instant.now().isBefore(until)) {
                Thread.sleep(200);
            }
            assertThat(rolledOut(gateway)).as("machines rolled out before the kill\n" + lab.out()).isBetween(1, 5);
        } catch (Exception | AssertionError e) {
            if (lab != null) {
                lab.stop();
            }
            gateway.close();
            throw e;
        }
        gateway.kill();
        Thread.sleep(2000);

        try (GatewayProcess restarted = GatewayProcess.start(port, httpsPort, data, args)) {
            InstallerProcess running = lab;
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                JsonNode d = restarted.get("/api/v1/host-deployments/fleet-3");
                assertThat(d).isNotNull();
                assertThat(d.path("state").asText()).as(d.toPrettyString() + "\n" + running.out()).isEqualTo("SUCCEEDED");
            });
            JsonNode deployment = restarted.get("/api/v1/host-deployments/fleet-3");
            assertThat(deployment.path("counts").path("rolledOut").asInt()).isEqualTo(HOSTS.size());
            assertThat(deployment.path("counts").path("failed").asInt()).isZero();
            for (String host : HOSTS) {
                String id = restarted.machineByHostname(host).get("machineId").asText();
                JsonNode detail = restarted.get("/api/v1/machines/" + id + "?consistent=true");
                assertThat(detail.get("state").asText()).as(host).isEqualTo("ACTIVE");
                assertThat(detail.path("rollout").path("status").asText()).as(host).isEqualTo("healthy");
                assertThat(detail.path("rollout").path("runningSystem").asText()).as(host).isEqualTo(NEW_SYSTEM);
                // the new kernel needed the staged reboot, confirmed by the agent that started after it
                assertThat(agentCommands(host)).as(host).contains(List.of(NEW_SYSTEM + "/bin/switch-to-configuration", "boot"),
                        List.of("systemctl", "reboot"));
            }
            lab.stop();
            assertThat(lab.out()).contains("cannot reach the deployer", "confirmed after the reboot")
                    .containsPattern("6 agents, 6 confirmed their first boot \\(ACTIVE\\); last rollout results: 6 fleet-3 gen \\d+ healthy");
        } finally {
            lab.stop();
        }
    }

    private static int rolledOut(GatewayProcess gateway) {
        try {
            JsonNode d = gateway.get("/api/v1/host-deployments/fleet-3");
            return d == null ? 0 : d.path("counts").path("rolledOut").asInt();
        } catch (Exception e) {
            return 0;
        }
    }

    private List<List<String>> agentCommands(String host) throws Exception {
        return Files.readAllLines(tmp.resolve("commands.jsonl")).stream().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(r -> "agent".equals(r.path("phase").asText()) && host.equals(r.path("hostname").asText()))
                .map(r -> {
                    List<String> command = new java.util.ArrayList<>();
                    r.get("command").forEach(a -> command.add(a.asText()));
                    return command;
                }).toList();
    }
}
