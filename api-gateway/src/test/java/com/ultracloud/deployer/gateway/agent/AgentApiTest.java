package com.ultracloud.deployer.gateway.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.ultracloud.deployer.gateway.Hardware;
import com.ultracloud.deployer.gateway.RunningGateway;
import com.ultracloud.deployer.gateway.bootstrap.Installs;
import com.ultracloud.deployer.gateway.bootstrap.LabIntent;
import com.ultracloud.deployer.gateway.machine.MachineCommands;
import com.ultracloud.deployer.gateway.machine.RequestContext;
import com.ultracloud.deployer.gateway.readpath.MachineSignals;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.command.SetDesiredSystem;
import com.ultracloud.deployer.machine.api.rollout.ActivationSettings;
import com.ultracloud.deployer.machine.api.rollout.ActivationStrategy;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;
import com.ultracloud.deployer.machine.api.rollout.HealthCheck;
import com.ultracloud.deployer.machine.api.rollout.RollbackPolicy;
import com.ultracloud.deployer.machine.api.rollout.TargetSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agent API over real mutual TLS (issue 10): the desired system as the agent's wire record with its ETag,
 * 204/304 and the event-fed long-poll; activation reports recorded for the certificate's machine only, the first
 * healthy one activating the machine; revoked certificates refused.
 */
class AgentApiTest {

    @TempDir
    static Path dataDir;
    static RunningGateway gw;

    @BeforeAll
    static void start() {
        // the test sets desired systems itself: no intent rollout may drain or roll out its machines meanwhile
        gw = LabIntent.startWithoutHostDeployments("--deployer.data-dir=" + dataDir);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void theDesiredSystemIs204Then200WithAnETagThen304AndALongPollIsAnsweredByTheNextDesiredSystem() throws Exception {
        Installs.Done node = Installs.installFully(gw, Hardware.clone("server-nvme-sata-usb", 701), "worker", "general", "worker-701");
        NodeAgent agent = NodeAgent.of(gw, node.plan().at("/secrets/tls"));
        MachineId id = MachineId.parse(node.machineId());

        // INSTALLED, nothing desired yet: the first-boot target, the system the install plan installed
        NodeAgent.Answer firstBoot = agent.desiredSystem(null, null);
        assertThat(firstBoot.status()).as(firstBoot.body()).isEqualTo(200);
        assertThat(firstBoot.etag()).isEqualTo("\"first-boot:0\"");
        assertThat(firstBoot.json().at("/system/configuration").asText()).isEqualTo("worker-701");
        assertThat(firstBoot.json().at("/system/flake").asText()).isEqualTo(node.plan().at("/plan/system/flake").asText());
        assertThat(agent.report("first-boot", "healthy", "/nix/store/9999-installed", 0, null).json().get("state").asText())
                .isEqualTo("ACTIVE");
        // ACTIVE with nothing desired: 204, at once for the agent that still holds the first-boot ETag
        NodeAgent.Answer nothing = agent.desiredSystem("10s", firstBoot.etag());
        assertThat(nothing.status()).as(nothing.body()).isEqualTo(204);

        desire(id, "web-7", 1, TargetSystem.flake("github:example/fleet", "nixosConfigurations.worker-701"),
                new ActivationSettings(ActivationStrategy.BOOT, 900, 120,
                        new HealthCheck("command", null, null, "systemctl is-active nginx", null), RollbackPolicy.MANUAL));
        // the inventory folds the event a moment after the command: the long-poll answers once it has
        NodeAgent.Answer first = agent.desiredSystem("10s", null);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.etag()).isEqualTo("\"web-7:1\"");
        JsonNode body = first.json();
        assertThat(body.get("deploymentId").asText()).isEqualTo("web-7");
        assertThat(body.get("generation").asLong()).isEqualTo(1);
        assertThat(body.at("/system/flake").asText()).isEqualTo("github:example/fleet");
        assertThat(body.at("/system/configuration").asText()).as("the attribute as the wire's bare name").isEqualTo("worker-701");
        assertThat(body.get("activation").asText()).isEqualTo("boot");
        assertThat(body.get("activationTimeoutSeconds").asInt()).isEqualTo(900);
        assertThat(body.get("confirmTimeoutSeconds").asInt()).isEqualTo(120);
        assertThat(body.get("rollback").asText()).as("manual is the wire's none").isEqualTo("none");
        assertThat(body.at("/healthCheck/type").asText()).isEqualTo("command");
        assertThat(body.at("/healthCheck/command").toString()).isEqualTo("[\"/bin/sh\",\"-c\",\"systemctl is-active nginx\"]");

        NodeAgent.Answer same = agent.desiredSystem(null, first.etag());
        assertThat(same.status()).isEqualTo(304);
        assertThat(same.etag()).isEqualTo(first.etag());
        NodeAgent.Answer sameAfterAWait = agent.desiredSystem("300ms", first.etag());
        assertThat(sameAfterAWait.status()).as("unchanged within the wait").isEqualTo(304);

        // a long-poll is held (no thread) until the next desired system; 30000ms and 30s are the same wait
        CompletableFuture<NodeAgent.Answer> held = agent.desiredSystemAsync("30000ms", first.etag());
        await().atMost(Duration.ofSeconds(10)).until(() -> gw.bean(MachineSignals.class).waiting(node.machineId()) >= 1);
        assertThat(held).isNotDone();
        desire(id, "web-8", 2, TargetSystem.storePath("/nix/store/aaaa-nixos-system-worker-701-25.05"),
                new ActivationSettings(ActivationStrategy.SWITCH, 600, 300, HealthCheck.http("http://127.0.0.1:9100/metrics"),
                        RollbackPolicy.AUTOMATIC));
        NodeAgent.Answer next = held.get(20, TimeUnit.SECONDS);
        assertThat(next.status()).as(next.body()).isEqualTo(200);
        assertThat(next.etag()).isEqualTo("\"web-8:2\"");
        assertThat(next.json().at("/system/storePath").asText()).isEqualTo("/nix/store/aaaa-nixos-system-worker-701-25.05");
        assertThat(next.json().get("rollback").asText()).isEqualTo("automatic");
        assertThat(next.json().at("/healthCheck/type").asText()).isEqualTo("http");
        assertThat(next.json().at("/healthCheck/expectStatus").asInt()).isEqualTo(200);

        NodeAgent.Answer badWait = agent.desiredSystem("soon", null);
        assertThat(badWait.status()).isEqualTo(400);
        assertThat(badWait.json().at("/errors/0/field").asText()).isEqualTo("wait");
    }

    @Test
    void anActivationReportIsRecordedAndTheFirstHealthyOneMakesTheMachineActive() {
        Installs.Done node = Installs.installFully(gw, Hardware.clone("server-nvme-sata-usb", 702), "worker", "general", "worker-702");
        NodeAgent agent = NodeAgent.of(gw, node.plan().at("/secrets/tls"));
        String m = "/api/v1/machines/" + node.machineId();

        NodeAgent.Answer started = agent.report("first-boot", "started", "/nix/store/bbbb-nixos-system-worker-702", 0, "activate");
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        assertThat(started.json().get("state").asText()).isEqualTo("INSTALLED");
        NodeAgent.Answer healthy = agent.report("first-boot", "healthy", "/nix/store/bbbb-nixos-system-worker-702", 0, "confirmed");
        assertThat(healthy.status()).as(healthy.body()).isEqualTo(202);
        assertThat(healthy.json().get("machineId").asText()).isEqualTo(node.machineId());
        assertThat(healthy.json().get("result").asText()).isEqualTo("healthy");
        assertThat(healthy.json().get("state").asText()).isEqualTo("ACTIVE");
        assertThat(healthy.json().has("version")).as(healthy.body()).isTrue();
        long version = healthy.json().get("version").asLong();

        List<String> types = new ArrayList<>();
        gw.get(m + "/events").json().forEach(e -> types.add(e.get("type").asText()));
        assertThat(types).containsSubsequence("InstallSucceeded", "ActivationReported", "ActivationReported", "MachineActivated");
        JsonNode reported = null;
        for (JsonNode e : gw.get(m + "/events").json()) {
            if (e.get("type").asText().equals("ActivationReported")) {
                reported = e;
            }
        }
        assertThat(reported.at("/metadata/principal").asText()).isEqualTo("machine:" + node.machineId());

        JsonNode detail = gw.get(m + "?minVersion=" + version).json();
        assertThat(detail.get("state").asText()).as("the lifecycle").isEqualTo("ACTIVE");
        assertThat(detail.at("/health/status").asText()).isEqualTo("healthy");
        assertThat(detail.at("/rollout/runningSystem").asText()).isEqualTo("/nix/store/bbbb-nixos-system-worker-702");
        assertThat(detail.at("/rollout/status").asText()).as("the report was about the installed system").isEqualTo("healthy");
        assertThat(detail.at("/rollout/lastActivation/result").asText()).isEqualTo("healthy");
        assertThat(detail.at("/rollout/lastActivation/current").asBoolean()).isTrue();
        assertThat(detail.at("/rollout/lastActivation").has("deploymentId")).as("no deployment owns the installed system").isFalse();

        NodeAgent.Answer invalid = agent.report(Map.of("result", "exploded", "generation", -1, "message", "x".repeat(5000)));
        assertThat(invalid.status()).as(invalid.body()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        invalid.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields).containsExactlyInAnyOrder("deploymentId", "result", "generation", "message");
    }

    @Test
    void aNodeCertificateReadsAndReportsOnlyForItsOwnMachine() {
        Installs.Done a = Installs.installFully(gw, Hardware.clone("server-nvme-sata-usb", 703), "worker", "general", "worker-703");
        Installs.Done b = Installs.installFully(gw, Hardware.clone("server-nvme-sata-usb", 704), "worker", "general", "worker-704");
        desire(MachineId.parse(a.machineId()), "only-a", 1, TargetSystem.storePath("/nix/store/cccc-a"), ActivationSettings.DEFAULT);
        NodeAgent agentA = NodeAgent.of(gw, a.plan().at("/secrets/tls"));
        NodeAgent agentB = NodeAgent.of(gw, b.plan().at("/secrets/tls"));
        NodeAgent.Answer ofA = agentA.desiredSystem("10s", "\"first-boot:0\"");
        assertThat(ofA.etag()).isEqualTo("\"only-a:1\"");
        NodeAgent.Answer ofB = agentB.desiredSystem(null, null);
        assertThat(ofB.etag()).as("B sees its own (its first-boot target), never A's").isEqualTo("\"first-boot:0\"");
        assertThat(ofB.json().at("/system/configuration").asText()).isEqualTo("worker-704");

        Map<String, Object> forA = new java.util.HashMap<>(Map.of("deploymentId", "only-a", "result", "healthy",
                "generation", 1, "machineId", a.machineId()));
        NodeAgent.Answer r = agentB.report(forA);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().get("machineId").asText()).as("the body cannot name another machine").isEqualTo(b.machineId());
        assertThat(gw.get("/api/v1/machines/" + a.machineId() + "/events").body()).doesNotContain("ActivationReported");
        assertThat(gw.get("/api/v1/machines/" + b.machineId() + "/events").body()).contains("ActivationReported");
    }

    @Test
    void aRevokedCertificateCanNeitherReadNorReport() {
        Installs.Done node = Installs.installFully(gw, Hardware.clone("server-nvme-sata-usb", 705), "worker", "general", "worker-705");
        NodeAgent agent = NodeAgent.of(gw, node.plan().at("/secrets/tls"));
        assertThat(agent.desiredSystem(null, null).status()).isEqualTo(200);
        assertThat(gw.post("/api/v1/machines/" + node.machineId() + "/reprovision", null).status()).isEqualTo(202);
        // the reprovision's directive is the certificate's last errand: once the agent answers it, it is revoked
        String directive = agent.awaitDirective().get("id").asText();
        assertThat(agent.directive(directive, "failed", "no image").status()).isEqualTo(202);
        NodeAgent.Answer read = agent.desiredSystem(null, null);
        assertThat(read.status()).as(read.body()).isEqualTo(403);
        assertThat(read.body()).contains("revoked (reprovisioned)");
        NodeAgent.Answer report = agent.report("first-boot", "healthy", null, 0, null);
        assertThat(report.status()).as(report.body()).isEqualTo(403);
        assertThat(gw.get("/api/v1/machines/" + node.machineId() + "/events").body()).doesNotContain("ActivationReported");
    }

    @Test
    void aRetiredMachinesCertificateIsRefused() {
        Installs.Done node = Installs.installFully(gw, Hardware.clone("server-nvme-sata-usb", 706), "worker", "general", "worker-706");
        NodeAgent agent = NodeAgent.of(gw, node.plan().at("/secrets/tls"));
        assertThat(agent.report("first-boot", "healthy", null, 0, null).status()).isEqualTo(202); // → ACTIVE
        for (String action : List.of("drain", "complete-drain", "retire")) {
            assertThat(gw.post("/api/v1/machines/" + node.machineId() + "/" + action, null).status()).as(action).isEqualTo(202);
        }
        // retirement revokes the certificate in the transaction of MachineRetired: refused at once, no read model awaited
        NodeAgent.Answer read = agent.desiredSystem(null, null);
        assertThat(read.status()).as(read.body()).isEqualTo(403);
        assertThat(read.body()).contains("revoked (retired)");
        assertThat(agent.report("first-boot", "healthy", null, 0, null).status()).isEqualTo(403);
    }

    private static void desire(MachineId id, String deployment, long generation, TargetSystem system, ActivationSettings settings) {
        gw.bean(MachineCommands.class).send(new SetDesiredSystem(id, DeploymentId.of(deployment), generation, system, settings),
                RequestContext.system("test"));
    }
}
