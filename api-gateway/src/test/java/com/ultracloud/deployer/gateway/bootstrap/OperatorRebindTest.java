package com.ultracloud.deployer.gateway.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.gateway.Hardware;
import com.ultracloud.deployer.gateway.RunningGateway;
import com.ultracloud.deployer.gateway.TestInstallers;
import com.ultracloud.deployer.protocol.seal.InstallerKey;
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
 * {@code deployer.bootstrap.rebind=operator}: a new installer key for a pending install gets nothing until
 * an operator approves it, and the installer the install is bound to is not disturbed meanwhile.
 */
class OperatorRebindTest {

    @TempDir
    static Path dataDir;
    static RunningGateway gw;

    @BeforeAll
    static void start() {
        gw = LabIntent.start("--deployer.data-dir=" + dataDir, "--deployer.bootstrap.rebind=operator");
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void aNewInstallerKeyWaitsForAnOperatorWhoApprovesExactlyIt() {
        ObjectNode facts = Hardware.clone("server-nvme-sata-usb", 501);
        String id = Installs.requestInstall(gw, facts, "worker", "general", "worker-501");
        String m = "/api/v1/machines/" + id;
        Installs.awaitToken(gw, facts);
        String bound = TestInstallers.keyFor(facts).fingerprint();

        InstallerKey stranger = TestInstallers.newKey();
        ObjectNode strangerFacts = TestInstallers.withKey(facts, stranger);
        JsonNode asked = gw.post(TestInstallers.DISCOVER, strangerFacts).json();
        assertThat(asked.get("state").asText()).isEqualTo("INSTALL_PENDING");
        assertThat(asked.has("installToken")).isFalse();
        assertThat(asked.get("instruction").asText()).isEqualTo("wait");
        assertThat(asked.get("message").asText()).contains(stranger.fingerprint(), "approve-installer", bound);
        assertThat(types(id)).endsWith("InstallerRebindRequested");
        JsonNode detail = gw.get(m + "?consistent=true").json();
        assertThat(detail.at("/installer/keyFingerprint").asText()).isEqualTo(bound);
        assertThat(detail.at("/installer/awaitingApproval").asText()).isEqualTo(stranger.fingerprint());
        // asking again records nothing more, and the bound installer carries on undisturbed
        gw.post(TestInstallers.DISCOVER, strangerFacts);
        assertThat(types(id).stream().filter("InstallerRebindRequested"::equals)).hasSize(1);
        String boundToken = Installs.awaitToken(gw, facts);
        assertThat(Installs.fetchSealedPlan(gw, boundToken, "?machineId=" + id).status()).isEqualTo(200);
        // ... which started the install: the question is moot, nothing to approve
        assertThat(gw.get(m + "?consistent=true").json().at("/installer").has("awaitingApproval")).isFalse();
    }

    @Test
    void approvalRevokesTheBoundInstallersTokenAndRotatesTheCredentialsForTheNewKey() {
        ObjectNode facts = Hardware.clone("server-nvme-sata-usb", 502);
        String id = Installs.requestInstall(gw, facts, "worker", "general", "worker-502");
        String m = "/api/v1/machines/" + id;
        String oldToken = Installs.awaitToken(gw, facts);
        InstallerKey rebooted = TestInstallers.newKey();
        ObjectNode rebootedFacts = TestInstallers.withKey(facts, rebooted);
        gw.post(TestInstallers.DISCOVER, rebootedFacts);

        RunningGateway.Response wrong = gw.post(m + "/approve-installer", Map.of("installerKey", "sha256:" + "0".repeat(64)));
        assertThat(wrong.status()).as(wrong.toString()).isEqualTo(409);
        assertThat(wrong.json().get("detail").asText()).contains(rebooted.fingerprint());
        assertThat(gw.post(m + "/approve-installer", Map.of("installerKey", "not-a-fingerprint")).status()).isEqualTo(400);

        RunningGateway.Response approved = gw.post(m + "/approve-installer", Map.of("installerKey", rebooted.fingerprint()));
        assertThat(approved.status()).as(approved.toString()).isEqualTo(202);
        assertThat(approved.json().at("/installer/keyFingerprint").asText()).isEqualTo(rebooted.fingerprint());
        JsonNode rebound = events(id).stream().filter(e -> e.get("type").asText().equals("InstallerRebound")).findFirst().orElseThrow();
        assertThat(rebound.at("/payload/approvedBy").asText()).isEqualTo(rebound.at("/metadata/principal").asText())
                .isNotEqualTo("automatic");
        assertThat(Installs.fetchPlan(gw, oldToken, "").status()).as("the old installer's token").isEqualTo(403);
        // nothing is waiting any more: approving again is refused, naming what it needs
        RunningGateway.Response again = gw.post(m + "/approve-installer", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("detail").asText()).contains("a new installer key awaits approval");
        String newToken = Installs.awaitToken(gw, rebootedFacts);
        RunningGateway.Response plan = Installs.fetchSealedPlan(gw, newToken, "?wait=10s&machineId=" + id);
        assertThat(plan.json().at("/secrets/sealed/recipient").asText()).isEqualTo(rebooted.fingerprint());
        assertThat(types(id).stream().filter("BootstrapCredentialsIssued"::equals)).as(types(id).toString()).hasSize(2);
    }

    private static List<JsonNode> events(String id) {
        List<JsonNode> out = new ArrayList<>();
        gw.get("/api/v1/machines/" + id + "/events").json().forEach(out::add);
        return out;
    }

    private static List<String> types(String id) {
        return events(id).stream().map(e -> e.get("type").asText()).toList();
    }
}
