package com.ultracloud.deployer.gateway.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.gateway.Hardware;
import com.ultracloud.deployer.gateway.RunningGateway;
import com.ultracloud.deployer.gateway.TestInstallers;
import com.ultracloud.deployer.protocol.BootstrapPlan;
import com.ultracloud.deployer.protocol.InstallProgress;
import com.ultracloud.deployer.protocol.seal.InstallerKey;
import com.ultracloud.deployer.protocol.seal.PlanSecretsSeal;
import com.ultracloud.deployer.protocol.seal.SealException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Who may enroll a machine and who gets its secrets (DESIGN §10, issue 8): the join secret at discover,
 * plan secrets sealed to the booted installer's key, rebinding to a new key, and no silent overwrite of
 * the facts a pending plan was made for — shown first as the attack the issue describes, step by step.
 */
class MachineTrustTest {

    private static final ObjectMapper JSON = new ObjectMapper();

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

    /**
     * Anyone who knows a machine's SMBIOS UUID posts {@code {"identity":{"smbiosUuid":"…"}}} to discover
     * while it is INSTALL_PENDING, to get an install token (overwriting the facts with empty ones), fetch the
     * plan with its private keys, and report {@code succeeded}.
     */
    @Test
    void theThreeStepAttackFailsAtEveryStep() throws Exception {
        ObjectNode facts = Hardware.clone("server-nvme-sata-usb", 401);
        String id = Installs.requestInstall(gw, facts, "worker", "general", "worker-401");
        String realToken = Installs.awaitToken(gw, facts); // the real installer's, bound to its key
        String m = "/api/v1/machines/" + id;
        JsonNode recorded = gw.get(m + "?consistent=true").json().get("hardware");
        int eventsBefore = events(id).size();
        String attack = "{\"identity\":{\"smbiosUuid\":\"" + facts.at("/identity/smbiosUuid").asText() + "\"}}";

        // 1. discover without the join secret, or with a guessed one: 401, no token, nothing recorded
        RunningGateway.Response noSecret = gw.sendPost(TestInstallers.DISCOVER, attack, Map.of());
        assertThat(noSecret.status()).as(noSecret.toString()).isEqualTo(401);
        assertThat(noSecret.isProblem()).isTrue();
        assertThat(noSecret.body()).doesNotContain("installToken").contains("X-Join-Secret");
        RunningGateway.Response guessed = gw.sendPost(TestInstallers.DISCOVER, attack,
                Map.of("X-Join-Secret", "test-cluster-join-secret-0123456780"));
        assertThat(guessed.status()).as(guessed.toString()).isEqualTo(401);
        assertThat(guessed.body()).doesNotContain(TestInstallers.JOIN_SECRET);
        HttpResponse<String> raw = gw.http().send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + TestInstallers.DISCOVER))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(attack)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(raw.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("X-Join-Secret"));
        assertThat(events(id)).hasSize(eventsBefore);
        JsonNode after = gw.get(m + "?consistent=true").json();
        assertThat(after.get("hardware")).isEqualTo(recorded);
        assertThat(after.get("state").asText()).isEqualTo("INSTALL_PENDING");

        // 2. the plan, fetched with the only token there is — the real installer's, as if copied from a proxy
        //    log: its secrets are sealed to the real installer's key and no other key opens them
        RunningGateway.Response plan = Installs.fetchSealedPlan(gw, realToken, "?wait=10s&machineId=" + id);
        assertThat(plan.status()).as(plan.toString()).isEqualTo(200);
        assertThat(plan.body()).doesNotContain("PRIVATE KEY", "privateKeyPem", "privateKeyOpenssh", "progressToken");
        assertThat(fieldNames(plan.json().get("secrets"))).containsExactly("sealed");
        BootstrapPlan.Sealed sealed = JSON.treeToValue(plan.json().at("/secrets/sealed"), BootstrapPlan.Sealed.class);
        assertThat(sealed.recipient()).isEqualTo(TestInstallers.keyFor(facts).fingerprint());
        InstallerKey attacker = InstallerKey.generate();
        String planId = plan.json().at("/plan/planId").asText();
        BootstrapPlan.Sealed relabelled = new BootstrapPlan.Sealed(sealed.kem(), sealed.kdf(), sealed.aead(),
                attacker.fingerprint(), sealed.enc(), sealed.ciphertext());
        assertThatThrownBy(() -> PlanSecretsSeal.open(relabelled, attacker, id, planId)).isInstanceOf(SealException.class);
        //    ... so it cannot report success either: that needs the progress token inside the sealed secrets
        RunningGateway.Response succeeded = gw.post("/api/v1/bootstrap/progress",
                Map.of("planId", planId, "result", "succeeded", "step", "done", "percent", 100), Installs.bearer(realToken));
        assertThat(succeeded.status()).as(succeeded.toString()).isEqualTo(403);
        assertThat(succeeded.json().get("detail").asText()).contains("progress token");
        Map<String, String> guessedProgress = new java.util.HashMap<>(Installs.bearer(realToken));
        guessedProgress.put(InstallProgress.PROGRESS_TOKEN_HEADER, realToken);
        assertThat(gw.post("/api/v1/bootstrap/progress", Map.of("planId", planId, "result", "succeeded"), guessedProgress)
                .status()).isEqualTo(403);
        assertThat(gw.get(m + "?consistent=true").json().get("state").asText()).isEqualTo("INSTALLING");
        //    (the real installer opens them: they were the real secrets)
        JsonNode opened = TestInstallers.open(plan.json());
        assertThat(opened.at("/secrets/tls/privateKeyPem").asText()).startsWith("-----BEGIN PRIVATE KEY-----");

        // 3. discover again with a leaked join secret: the empty facts never silently replace the recorded ones.
        //    Mid-install the discover only ends the attempt (its facts are not taken); once pending again, the
        //    change is recorded next to the old facts and the machine must be inspected again: no token, no plan
        RunningGateway.Response midInstall = gw.post(TestInstallers.DISCOVER, attack);
        assertThat(midInstall.status()).as(midInstall.toString()).isEqualTo(200);
        assertThat(midInstall.json().has("installToken")).isFalse();
        assertThat(gw.get(m + "?consistent=true").json().get("hardware")).isEqualTo(recorded);
        RunningGateway.Response pending = gw.post(TestInstallers.DISCOVER, attack);
        assertThat(pending.json().get("state").asText()).isEqualTo("DISCOVERED");
        assertThat(pending.json().has("installToken")).isFalse();
        List<JsonNode> history = events(id);
        JsonNode invalidated = history.get(history.size() - 1);
        assertThat(invalidated.get("type").asText()).isEqualTo("InspectionInvalidated");
        assertThat(history.get(history.size() - 2).get("type").asText()).isEqualTo("InventoryRefreshed");
        assertThat(invalidated.at("/payload/changed")).extracting(JsonNode::asText)
                .containsExactly("identity", "nics", "disks", "cpu", "memoryBytes", "boot");
        assertThat(invalidated.at("/payload/previousFactsDigest").asText()).isEqualTo(after.get("factsDigest").asText());
        assertThat(history).anySatisfy(e -> assertThat(e.at("/payload/facts")).isEqualTo(recorded)); // the old facts stay
        JsonNode detail = gw.get(m + "?consistent=true").json();
        assertThat(detail.at("/inspection/result").asText()).isEqualTo("invalidated");
        assertThat(Installs.fetchPlan(gw, realToken, "").status()).as("the real token died with the plan").isEqualTo(403);
        assertThat(gw.post(m + "/install", Map.of()).status()).as("no plan without a new inspection").isEqualTo(409);
        RunningGateway.Response inspect = gw.post(m + "/inspect", Map.of("nodeClass", "worker"));
        assertThat(inspect.json().get("state").asText()).as("empty facts do not pass inspection").isEqualTo("FAILED");
        assertThat(certificates(id)).allSatisfy(c -> assertThat(c.get("revoked_at")).isNotNull());
    }

    @Test
    void aDiscoverWithoutAnInstallerKeyGetsNoTokenAndSaysWhy() {
        ObjectNode facts = Hardware.clone("server-nvme-sata-usb", 402);
        String id = Installs.requestInstall(gw, facts, "worker", "general", "worker-402");
        Installs.awaitToken(gw, facts); // the plan exists
        ObjectNode keyless = facts.deepCopy();
        keyless.putObject("installer").put("version", "0.0.1-old");
        keyless.with("installer").putNull("publicKey");
        RunningGateway.Response r = gw.sendPost(TestInstallers.DISCOVER, keyless, Map.of("X-Join-Secret", TestInstallers.JOIN_SECRET));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("state").asText()).isEqualTo("INSTALL_PENDING");
        assertThat(r.json().has("installToken")).isFalse();
        assertThat(r.json().get("instruction").asText()).isEqualTo("wait");
        assertThat(r.json().get("message").asText()).contains("installer.publicKey");
        assertThat(gw.get("/api/v1/machines/" + id + "?consistent=true").json().at("/hardware/installer").has("publicKey")).isFalse();
    }

    @Test
    void anUnusableInstallerKeyIsABadRequest() {
        ObjectNode facts = TestInstallers.withKey(Hardware.clone("server-nvme-sata-usb", 403), InstallerKey.generate());
        facts.with("installer").put("publicKey", Base64.getEncoder().encodeToString(new byte[32]));
        RunningGateway.Response r = gw.post(TestInstallers.DISCOVER, facts);
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().at("/errors/0/field").asText()).isEqualTo("installer.publicKey");
        facts.with("installer").put("publicKey", "c2hvcnQ=");
        assertThat(gw.post(TestInstallers.DISCOVER, facts).json().at("/errors/0/message").asText()).contains("32 bytes");
    }

    @Test
    void aNewInstallerKeyRebindsRevokesTheOldTokenAndRotatesTheCredentials() {
        ObjectNode facts = Hardware.clone("server-nvme-sata-usb", 404);
        String id = Installs.requestInstall(gw, facts, "worker", "general", "worker-404");
        String oldToken = Installs.awaitToken(gw, facts);
        String oldKey = TestInstallers.keyFor(facts).fingerprint();
        String firstSerial = serialsOfIssued(id).get(0);

        InstallerKey rebooted = TestInstallers.newKey();
        ObjectNode again = TestInstallers.withKey(facts, rebooted);
        RunningGateway.Response r = gw.post(TestInstallers.DISCOVER, again);
        assertThat(r.json().get("state").asText()).isEqualTo("INSTALL_PENDING");
        JsonNode rebound = events(id).stream().filter(e -> e.get("type").asText().equals("InstallerRebound")).findFirst().orElseThrow();
        assertThat(rebound.at("/payload/previousKeyFingerprint").asText()).isEqualTo(oldKey);
        assertThat(rebound.at("/payload/keyFingerprint").asText()).isEqualTo(rebooted.fingerprint());
        assertThat(rebound.at("/payload/approvedBy").asText()).isEqualTo("automatic");
        assertThat(rebound.at("/payload/revokedCredentials/tlsCertificateSerial").asText()).isEqualTo(firstSerial);
        assertThat(Installs.fetchPlan(gw, oldToken, "").status()).as("the old token is revoked").isEqualTo(403);

        // the saga issues new credentials; the new installer gets a token and a plan sealed to its key
        String newToken = Installs.awaitToken(gw, again);
        RunningGateway.Response plan = Installs.fetchSealedPlan(gw, newToken, "?wait=10s");
        assertThat(plan.status()).as(plan.toString()).isEqualTo(200);
        assertThat(plan.json().at("/secrets/sealed/recipient").asText()).isEqualTo(rebooted.fingerprint());
        List<String> serials = serialsOfIssued(id);
        assertThat(serials).hasSize(2).doesNotHaveDuplicates();
        List<Map<String, Object>> certificates = certificates(id);
        assertThat(certificates).filteredOn(c -> firstSerial.equals(c.get("serial")))
                .singleElement().satisfies(c -> assertThat(String.valueOf(c.get("revoked_reason"))).contains("installer rebound"));
        assertThat(certificates).filteredOn(c -> serials.get(1).equals(c.get("serial")))
                .singleElement().satisfies(c -> assertThat(c.get("revoked_at")).isNull());
        JsonNode detail = gw.get("/api/v1/machines/" + id + "?consistent=true").json();
        assertThat(detail.at("/installer/keyFingerprint").asText()).isEqualTo(rebooted.fingerprint());
        // the old installer asking again is now the stranger: it rebinds back, and is recorded doing so
        assertThat(gw.post(TestInstallers.DISCOVER, facts).json().has("installToken")).isFalse();
    }

    @Test
    void otherHardwareWhilePendingIsRecordedAndTheMachineIsInspectedAgainBeforeANewPlan() {
        ObjectNode facts = LabIntent.hardware("worker-2"); // a worker with the installer's USB stick in
        String id = Installs.requestInstall(gw, facts, "worker", "general", "worker-2");
        String token = Installs.awaitToken(gw, facts);
        ObjectNode withoutADisk = facts.deepCopy(); // the USB stick it was discovered with was pulled
        ArrayNode disks = (ArrayNode) withoutADisk.get("disks");
        for (int i = disks.size() - 1; i >= 0; i--) {
            if ("usb".equals(disks.get(i).path("transport").asText())) {
                disks.remove(i);
            }
        }
        assertThat(disks.size()).isLessThan(facts.get("disks").size());
        RunningGateway.Response r = gw.post(TestInstallers.DISCOVER, withoutADisk);
        assertThat(r.json().get("state").asText()).isEqualTo("DISCOVERED");
        JsonNode last = events(id).get(events(id).size() - 1);
        assertThat(last.get("type").asText()).isEqualTo("InspectionInvalidated");
        assertThat(last.at("/payload/changed")).extracting(JsonNode::asText).containsExactly("disks");
        assertThat(Installs.fetchPlan(gw, token, "").status()).isEqualTo(403);
        // inspected, commissioned and installed again: the new plan is made from the facts now recorded
        String m = "/api/v1/machines/" + id;
        JsonNode inspected = gw.post(m + "/inspect", null).json();
        assertThat(inspected.get("state").asText()).as(inspected.toString()).isEqualTo("INSPECTED");
        assertThat(gw.post(m + "/commission", Map.of("nodeClass", "worker", "pool", "general", "hostname", "worker-2"))
                .status()).isEqualTo(202);
        assertThat(gw.post(m + "/install", Map.of()).status()).isEqualTo(202);
        String newToken = Installs.awaitToken(gw, withoutADisk);
        RunningGateway.Response plan = Installs.fetchPlan(gw, newToken, "?wait=10s");
        assertThat(plan.status()).as(plan.toString()).isEqualTo(200);
        assertThat(gw.get(m + "?consistent=true").json().get("hardware").get("disks")).hasSize(disks.size());
    }

    private static List<JsonNode> events(String id) {
        List<JsonNode> out = new ArrayList<>();
        gw.get("/api/v1/machines/" + id + "/events").json().forEach(out::add);
        return out;
    }

    private static List<String> serialsOfIssued(String id) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !events(id).isEmpty());
        return events(id).stream().filter(e -> e.get("type").asText().equals("BootstrapCredentialsIssued"))
                .map(e -> e.at("/payload/credentials/tlsCertificateSerial").asText()).toList();
    }

    private static List<Map<String, Object>> certificates(String id) {
        return gw.bean(JdbcTemplate.class).queryForList("select * from node_certificate where machine_id = ? order by issued_at", id)
                .stream().map(row -> {
                    Map<String, Object> lower = new java.util.HashMap<>();
                    row.forEach((k, v) -> lower.put(k.toLowerCase(java.util.Locale.ROOT), v));
                    return lower;
                }).toList();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
