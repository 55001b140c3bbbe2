package com.ultracloud.deployer.gateway.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.gateway.Hardware;
import com.ultracloud.deployer.gateway.RunningGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bootstrap protocol over HTTP on the embedded default (H2 file): a full install of lab machines
 * (discover → inspect → commission → install → plan with token → progress → INSTALLED), token rules,
 * delivered credentials that work, and no secret at rest in events or read models.
 */
class BootstrapFlowTest {

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
    void aControlPlaneSeedIsInstalledOverTheBootstrapApiWithCredentialsThatWork() throws Exception {
        ObjectNode facts = LabIntent.hardware("cp-1");
        Installs.Done done = Installs.installFully(gw, facts, "control-plane", "control-plane", "cp-1");
        JsonNode response = done.plan();

        JsonNode assignment = response.get("assignment");
        assertThat(assignment.get("hostname").asText()).isEqualTo("cp-1");
        assertThat(assignment.get("nodeClass").asText()).isEqualTo("control-plane");
        assertThat(assignment.get("failureDomain").asText()).isEqualTo("rack-a");
        JsonNode plan = response.get("plan");
        // cp-1's own hints (its second NVMe, by serial) in place of the control-plane disk policy's
        assertThat(plan.get("rootDevice").get("path").asText()).isEqualTo("/dev/disk/by-id/nvme-eui.000000000000000100a075233c1a4e5f");
        assertThat(plan.get("rootDevice").get("matchedHints").get("serial").asText()).isEqualTo("s== 23083C1A4E5F");
        assertThat(plan.get("rootDevice").get("reason").asText()).startsWith("Hints of node 'cp-1' (in place of disk policy 'nvme-root')");
        assertThat(plan.get("network").get("domain").asText()).isEqualTo("mgmt.lab.ultracloud.example");
        assertThat(plan.get("network").get("addresses").get(1).get("mtu").asInt()).isEqualTo(9000);
        assertThat(plan.get("system").get("attribute").asText()).isEqualTo("nixosConfigurations.cp-1");
        assertThat(plan.get("system").get("configuration").asText()).as("for nixos-install --flake <flake>#cp-1").isEqualTo("cp-1");
        assertThat(plan.get("intentGeneration").asLong()).isEqualTo(1);
        assertThat(plan.get("network").get("mode").asText()).isEqualTo("static");
        assertThat(plan.get("imageUrl").asText()).isEqualTo("https://deployer.lab.ultracloud.example:8443/images/installer");
        assertThat(response.toString()).doesNotContain("servicePolicies");

        SecretChecks.certificateVerifies(response.get("secrets").get("tls"),
                List.of("cp-1", "cp-1.mgmt.lab.ultracloud.example"), List.of("10.42.0.11", "10.43.0.11"));
        SecretChecks.sshKeyMatches(response.get("secrets").get("sshHostKey"));

        String m = "/api/v1/machines/" + done.machineId();
        List<String> types = new ArrayList<>();
        gw.get(m + "/events").json().forEach(e -> types.add(e.get("type").asText()));
        assertThat(types).containsSubsequence("InstallRequested", "BootstrapCredentialsIssued", "InstallPlanIssued",
                "InstallStarted", "InstallProgressReported", "InstallProgressReported", "InstallSucceeded");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(gw.get(m + "/install-plan").json().get("status").asText()).isEqualTo("succeeded"));
        RunningGateway.Response installPlan = gw.get(m + "/install-plan");
        assertThat(installPlan.json().get("plan").get("planId").asText()).isEqualTo(plan.get("planId").asText());
        assertThat(installPlan.json().get("plan").get("rootDevice").get("path").asText()).isEqualTo(plan.get("rootDevice").get("path").asText());
        assertThat(installPlan.body()).doesNotContain("PRIVATE KEY").doesNotContain(done.token());

        // the install is over: the token is revoked
        RunningGateway.Response again = Installs.fetchPlan(gw, done.token(), "");
        assertThat(again.status()).as(again.toString()).isEqualTo(403);
        assertThat(again.isProblem()).isTrue();
        assertThat(again.body()).doesNotContain(done.token());

        // the installer repeats its final report (the first answer was lost): the same answer, nothing recorded
        String planId = plan.get("planId").asText();
        int events = gw.get(m + "/events").json().size();
        RunningGateway.Response repeated = Installs.progress(gw, done.token(), planId, "succeeded", "done", 100, "installed");
        assertThat(repeated.status()).as(repeated.toString()).isEqualTo(202);
        assertThat(repeated.json().get("state").asText()).isEqualTo("INSTALLED");
        assertThat(gw.get(m + "/events").json().size()).isEqualTo(events);
        // anything else with the ended install's token is still refused
        assertThat(Installs.progress(gw, done.token(), planId, "running", "disko", 20, "again").status()).isEqualTo(403);
        assertThat(Installs.progress(gw, done.token(), "plan-other", "succeeded", "done", 100, "x").status()).isEqualTo(403);
    }

    @Test
    void noPrivateKeyOrTokenIsStoredInTheEventStoreSagasDeadlinesOrReadModels() throws Exception {
        Installs.Done done = Installs.installFully(gw, LabIntent.hardware("worker-1"), "worker", "general", "worker-1");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(gw.get("/api/v1/machines/" + done.machineId() + "/install-plan").json().get("status").asText())
                        .isEqualTo("succeeded"));
        List<String> needles = SecretChecks.secretsOf(done.plan(), done.token());
        try (Connection c = gw.bean(DataSource.class).getConnection()) {
            long cells = SecretChecks.assertNoneContain(c, List.of("domain_event_entry", "snapshot_event_entry", "saga_entry",
                    "association_value_entry", "token_entry", "inventory_machine", "install_plan", "scheduled_tasks",
                    "sealed_secret", "cluster_ca"), needles);
            assertThat(cells).isGreaterThan(50);
        }
        // the events do carry the public facts: a token hash, a certificate fingerprint
        String events = gw.get("/api/v1/machines/" + done.machineId() + "/events").body();
        assertThat(events).contains("installTokenHash", "sha256:", "tlsCertificateFingerprint");
        for (String needle : needles) {
            assertThat(events).doesNotContain(needle);
        }
    }

    @Test
    void aTokenOfMachineAIsRefusedForMachineB() {
        ObjectNode a = Hardware.clone("server-nvme-sata-usb", 301);
        ObjectNode b = LabIntent.hardware("worker-2");
        Installs.requestInstall(gw, a, "worker", "general", "worker-301");
        String bId = Installs.requestInstall(gw, b, "worker", "general", "worker-2");
        String tokenA = Installs.awaitToken(gw, a);
        Installs.awaitToken(gw, b);
        RunningGateway.Response r = Installs.fetchPlan(gw, tokenA, "?machineId=" + bId);
        assertThat(r.status()).as(r.toString()).isEqualTo(403);
        assertThat(r.isProblem()).isTrue();
        assertThat(r.json().get("detail").asText()).contains("another machine");
        // and A's token cannot report progress on B's plan
        String bPlan = gw.get("/api/v1/machines/" + bId + "?consistent=true").json().get("install").get("planId").asText();
        RunningGateway.Response p = Installs.progress(gw, tokenA, bPlan, "running", "disko", 10, null);
        assertThat(p.status()).as(p.toString()).isEqualTo(403);
        assertThat(gw.get("/api/v1/machines/" + bId + "?consistent=true").json().get("state").asText()).isEqualTo("INSTALL_PENDING");
    }

    @Test
    void missingOrMalformedTokensAre401AndUnknownExpiredOrRevokedTokensAre403() {
        RunningGateway.Response missing = gw.get("/api/v1/bootstrap/plan");
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.isProblem()).isTrue();
        assertThat(gw.get("/api/v1/bootstrap/plan", Map.of("Authorization", "Basic dXNlcjpwdw==")).status()).isEqualTo(401);
        assertThat(gw.post("/api/v1/bootstrap/progress", Map.of("planId", "p", "result", "running")).status()).isEqualTo(401);
        RunningGateway.Response unknown = Installs.fetchPlan(gw, "x".repeat(43), "");
        assertThat(unknown.status()).isEqualTo(403);
        assertThat(unknown.isProblem()).isTrue();

        ObjectNode facts = Hardware.clone("server-nvme-sata-usb", 302);
        String id = Installs.requestInstall(gw, facts, "worker", "general", "worker-302");
        String first = Installs.awaitToken(gw, facts);
        String second = Installs.awaitToken(gw, facts);
        assertThat(second).isNotEqualTo(first).hasSizeGreaterThanOrEqualTo(43);
        assertThat(Installs.fetchPlan(gw, first, "").status()).as("superseded by a newer discover").isEqualTo(403);

        JdbcTemplate jdbc = gw.bean(JdbcTemplate.class);
        jdbc.update("update sealed_secret set token_expires_at = ? where machine_id = ?",
                Timestamp.from(Instant.now().minusSeconds(1)), id);
        RunningGateway.Response expired = Installs.fetchPlan(gw, second, "");
        assertThat(expired.status()).isEqualTo(403);
        assertThat(expired.json().get("detail").asText()).contains("expired");
        assertThat(gw.get("/api/v1/machines/" + id + "?consistent=true").json().get("state").asText()).isEqualTo("INSTALL_PENDING");

        String third = Installs.awaitToken(gw, facts); // discover again: a fresh token
        RunningGateway.Response markFailed = gw.post("/api/v1/machines/" + id + "/mark-failed", Map.of("reason", "pulled"));
        assertThat(markFailed.status()).isEqualTo(202);
        RunningGateway.Response revoked = Installs.fetchPlan(gw, third, "");
        assertThat(revoked.status()).isEqualTo(403);
        assertThat(revoked.json().get("detail").asText()).contains("revoked");
    }

    @Test
    void theInstallerLongPollsAndA204MeansNotReadyYet() {
        ObjectNode facts = Hardware.clone("server-nvme-sata-usb", 303);
        String id = Installs.requestInstall(gw, facts, "worker", "general", "worker-303");
        String token = Installs.awaitToken(gw, facts);
        // pretend the row belongs to a plan the aggregate has not issued yet: the plan is not ready
        JdbcTemplate jdbc = gw.bean(JdbcTemplate.class);
        String planId = jdbc.queryForObject("select plan_id from sealed_secret where machine_id = ?", String.class, id);
        jdbc.update("update sealed_secret set plan_id = 'plan-not-yet' where machine_id = ?", id);
        long start = System.nanoTime();
        RunningGateway.Response waiting = Installs.fetchPlan(gw, token, "?wait=1s");
        assertThat(waiting.status()).isEqualTo(204);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(Installs.fetchPlan(gw, token, "?wait=forever").status()).isEqualTo(400);
        jdbc.update("update sealed_secret set plan_id = ? where machine_id = ?", planId, id);
        RunningGateway.Response ready = Installs.fetchPlan(gw, token, "?wait=1s");
        assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
        assertThat(gw.get("/api/v1/machines/" + id + "?consistent=true").json().get("state").asText()).isEqualTo("INSTALLING");
        // fetching again while installing answers the same plan
        RunningGateway.Response refetch = Installs.fetchPlan(gw, token, "");
        assertThat(refetch.json().get("plan").get("planId").asText()).isEqualTo(planId);
    }

    @Test
    void aFailedInstallWithAttemptsLeftGetsANewPlanAndNewCredentials() {
        ObjectNode facts = Hardware.clone("server-nvme-sata-usb", 304);
        String id = Installs.requestInstall(gw, facts, "worker", "general", "worker-304");
        String token = Installs.awaitToken(gw, facts);
        JsonNode first = Installs.fetchPlan(gw, token, "").json();
        String firstPlan = first.get("plan").get("planId").asText();
        RunningGateway.Response failed = Installs.progress(gw, token, firstPlan, "failed", "disko", 10, "wipefs: device busy");
        assertThat(failed.status()).as(failed.toString()).isEqualTo(202);
        assertThat(failed.json().get("state").asText()).isEqualTo("INSTALL_PENDING");
        String retryToken = Installs.awaitToken(gw, facts);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            RunningGateway.Response r = Installs.fetchPlan(gw, retryToken, "?wait=2s");
            assertThat(r.status()).as("204 while the new plan is not issued yet").isEqualTo(200);
            JsonNode second = r.json();
            assertThat(second.get("plan").get("planId").asText()).isNotEqualTo(firstPlan);
            assertThat(second.get("secrets").get("tls").get("certificatePem").asText())
                    .isNotEqualTo(first.get("secrets").get("tls").get("certificatePem").asText());
        });
        assertThat(Installs.fetchPlan(gw, token, "").status()).isEqualTo(403);
    }

    @Test
    void aMachineWhoseDisksMatchNoHintGetsNoPlanAndShowsWhy() {
        // the placeholder-UUID box has one WD NVMe: the storage profile's sata-boot policy (model <in> Micron_5300) cannot be met
        ObjectNode facts = Hardware.load("placeholder-uuid-two-nics");
        String id = Installs.requestInstall(gw, facts, "storage", "storage", "storage-9");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode detail = gw.get("/api/v1/machines/" + id + "?consistent=true").json();
            assertThat(detail.get("state").asText()).isEqualTo("FAILED");
            assertThat(detail.get("lastFailure").get("reason").asText()).contains("no install plan", "sata-boot", "nvme0n1");
        });
        long version = gw.get("/api/v1/machines/" + id + "?consistent=true").json().get("version").asLong();
        assertThat(gw.get("/api/v1/machines/" + id + "/install-plan?minVersion=" + version).status()).isEqualTo(404);
        JsonNode discover = gw.post("/api/v1/bootstrap/discover", facts).json();
        assertThat(discover.has("installToken")).isFalse();
    }

    @Test
    void deadlinesAreDbSchedulerBackedAndTheKekFileIsPrivate() throws Exception {
        assertThat(gw.bean(DeadlineManager.class)).isInstanceOf(DbSchedulerDeadlineManager.class);
        Path kek = dataDir.resolve("kek");
        assertThat(kek).exists();
        assertThat(Files.getPosixFilePermissions(kek))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(gw.get("/api/v1/machines/" + java.util.UUID.randomUUID() + "/install-plan").status()).isEqualTo(404);
    }
}
