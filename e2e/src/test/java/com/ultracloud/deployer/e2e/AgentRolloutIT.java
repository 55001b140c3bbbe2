package com.ultracloud.deployer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.ultracloud.deployer.e2e.GatewayProcess.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 10 end to end, real jars over real TLS: the gateway jar (H2) and {@code installer lab --agents}, whose six
 * machines install, then run the real nix-agent against the machine-facing HTTPS port with the node certificates
 * their installers wrote. First boot brings every machine ACTIVE; then a rollout in batches of two over the whole
 * lab, with storage-1 unhealthy, rolls storage-1 back, stops at its failure threshold and leaves the machines it did
 * not reach untouched.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentRolloutIT {

    private static final List<String> HOSTS = List.of("cp-1", "cp-2", "cp-3", "storage-1", "worker-1", "worker-2");
    private static final String UNHEALTHY = "storage-1";
    private static final String NEW_SYSTEM = "/nix/store/0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d-nixos-system-fleet-2";

    @TempDir
    static Path tmp;

    static GatewayProcess gateway;
    static InstallerProcess lab;
    static final Map<String, String> installedSystem = new LinkedHashMap<>();
    static final Map<String, String> machineIds = new LinkedHashMap<>();

    @BeforeAll
    static void startGatewayAndLab() throws Exception {
        gateway = GatewayProcess.start(GatewayProcess.freePort(), tmp.resolve("gateway"));
        gateway.importLabIntent();
        lab = InstallerProcess.labWithAgents(tmp, gateway, "--unhealthy", UNHEALTHY, "--timeout", "600");
    }

    @AfterAll
    static void stop() throws Exception {
        if (lab != null) {
            lab.stop();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    @Order(1)
    void everyLabMachineIsInstalledAndItsAgentsFirstBootMakesItActive() throws Exception {
        for (String host : HOSTS) { // the list is a read model: it follows the agents' reports shortly after
            await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(gateway.stateOfHost(host)).as(host + "\n" + lab.out()).isEqualTo("ACTIVE"));
        }
        for (String host : HOSTS) {
            String id = gateway.machineByHostname(host).get("machineId").asText();
            machineIds.put(host, id);
            List<String> types = gateway.eventTypes(id);
            assertThat(types).as(host).containsSubsequence("InstallSucceeded", "ActivationReported", "MachineActivated");
            assertThat(types.stream().filter("MachineActivated"::equals)).as(host).hasSize(1);
            JsonNode detail = detail(id);
            assertThat(detail.path("health").path("status").asText()).as(host).isEqualTo("healthy");
            String running = detail.path("rollout").path("runningSystem").asText();
            assertThat(running).as(host).startsWith("/nix/store/").contains("-nixos-system-" + host);
            installedSystem.put(host, running);
        }
        // the agents reached the agent API with their node certificates: every first boot was confirmed there
        assertThat(lab.out()).contains("first-boot generation 0: healthy");
    }

    @Test
    @Order(2)
    void aRolloutInBatchesOfTwoRollsTheUnhealthyMachineBackStopsAtItsThresholdAndLeavesTheRestUntouched() throws Exception {
        assertThat(machineIds).as("the first test ran").hasSize(HOSTS.size());
        JsonNode created = gateway.post("/api/v1/host-deployments", JSON.readTree("""
                {"id": "fleet-2", "selector": {"pools": ["control-plane", "storage", "general"]},
                 "system": {"storePath": "%s"}, "batchSize": 2, "maxUnavailable": 2,
                 "activation": {"strategy": "switch", "confirmTimeoutSeconds": 5,
                                "healthCheck": {"type": "systemd", "units": ["sshd.service"]}},
                 "failureThreshold": 1}""".formatted(NEW_SYSTEM)));
        assertThat(created.get("state").asText()).isEqualTo("PENDING");

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(deployment().path("state").asText()).as(lab.out()).isEqualTo("FAILED"));
        JsonNode deployment = deployment();
        assertThat(deployment.path("counts").path("targets").asInt()).isEqualTo(6);
        assertThat(deployment.path("counts").path("failed").asInt()).isEqualTo(1);
        assertThat(deployment.path("reason").asText()).contains("1 of 1 allowed failures reached");
        Map<String, String> phase = new LinkedHashMap<>();
        for (JsonNode m : deployment.get("machines")) {
            phase.put(hostOf(m.get("machineId").asText()), m.get("phase").asText());
        }
        // batches follow the hostnames: [cp-1, cp-2], [cp-3, storage-1], [worker-1, worker-2]
        assertThat(phase).containsEntry("cp-1", "rolled-out").containsEntry("cp-2", "rolled-out")
                .containsEntry(UNHEALTHY, "failed").containsEntry("worker-1", "queued").containsEntry("worker-2", "queued");

        // the unhealthy machine: the new system activated, failed its health check, the previous generation runs again;
        // its detail shows the lifecycle and the rollout side by side
        JsonNode storage = detail(machineIds.get(UNHEALTHY));
        assertThat(storage.get("state").asText()).isEqualTo("ACTIVE");
        assertThat(storage.path("rollout").path("status").asText()).isEqualTo("rolled-back");
        assertThat(storage.path("rollout").path("deploymentId").asText()).isEqualTo("fleet-2");
        assertThat(storage.path("rollout").path("desiredSystem").asText()).isEqualTo(NEW_SYSTEM);
        assertThat(storage.path("rollout").path("runningSystem").asText()).isEqualTo(installedSystem.get(UNHEALTHY));
        assertThat(storage.path("health").path("status").asText()).isEqualTo("unhealthy");
        List<String> steps = activationSteps(machineIds.get(UNHEALTHY), "fleet-2");
        assertThat(steps).containsExactly("started set-profile", "started activate", "started health-check", "rolled-back health-check");

        for (String host : List.of("cp-1", "cp-2")) {
            JsonNode d = detail(machineIds.get(host));
            assertThat(d.path("rollout").path("status").asText()).as(host).isEqualTo("healthy");
            assertThat(d.path("rollout").path("runningSystem").asText()).as(host).isEqualTo(NEW_SYSTEM);
            assertThat(activationSteps(machineIds.get(host), "fleet-2")).as(host).containsExactly("started set-profile",
                    "started activate", "started health-check", "started boot-default", "healthy boot-default");
        }
        for (String host : List.of("worker-1", "worker-2")) { // never reached: no desired system, still the installed one
            String id = machineIds.get(host);
            assertThat(gateway.eventTypes(id)).as(host).doesNotContain("DesiredSystemSet");
            JsonNode d = detail(id);
            assertThat(d.get("state").asText()).as(host).isEqualTo("ACTIVE");
            assertThat(d.path("rollout").path("runningSystem").asText()).as(host).isEqualTo(installedSystem.get(host));
        }

        // on the node: the agent switched to the new system and back, through the executor
        List<List<String>> commands = agentCommands(UNHEALTHY);
        assertThat(commands).containsSubsequence(
                List.of("nix-env", "-p", "/nix/var/nix/profiles/system", "--set", NEW_SYSTEM),
                List.of(NEW_SYSTEM + "/bin/switch-to-configuration", "test"),
                List.of("nix-env", "-p", "/nix/var/nix/profiles/system", "--set", installedSystem.get(UNHEALTHY)),
                List.of(installedSystem.get(UNHEALTHY) + "/bin/switch-to-configuration", "switch"));
        assertThat(agentCommands("worker-1").stream().flatMap(List::stream)).doesNotContain(NEW_SYSTEM);
    }

    @Test
    @Order(3)
    void theStoppedLabPrintsTheRolloutSummary() throws Exception {
        lab.stop();
        String out = lab.out();
        assertThat(out).contains("rollout summary", "6 agents, 6 confirmed their first boot (ACTIVE)", "rolled-back *")
                .containsPattern("last rollout results: .*1 fleet-2 gen \\d+ rolled-back");
    }

    private static JsonNode deployment() throws Exception {
        return gateway.get("/api/v1/host-deployments/fleet-2");
    }

    private static JsonNode detail(String id) throws Exception {
        return gateway.get("/api/v1/machines/" + id + "?consistent=true");
    }

    private static String hostOf(String machineId) {
        return machineIds.entrySet().stream().filter(e -> e.getValue().equals(machineId)).map(Map.Entry::getKey)
                .findFirst().orElse(machineId);
    }

    /** "result step" of each ActivationReported of {@code deployment} in the machine's events (the step leads the message). */
    private static List<String> activationSteps(String machineId, String deployment) throws Exception {
        List<String> steps = new ArrayList<>();
        for (JsonNode e : gateway.get("/api/v1/machines/" + machineId + "/events")) {
            JsonNode p = e.path("payload");
            if ("ActivationReported".equals(e.path("type").asText()) && deployment.equals(p.path("deploymentId").asText())) {
                steps.add(p.path("result").asText() + " " + p.path("message").asText().split(":")[0]);
            }
        }
        return steps;
    }

    private static List<List<String>> agentCommands(String host) throws Exception {
        return LabCommandLog.agentCommands(tmp.resolve("commands.jsonl"), host);
    }
}
