package com.ultracloud.deployer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.machine.api.MachineId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The operator and bootstrap API against the real application on its embedded default (H2 file). */
class MachineApiTest {

    @TempDir
    static Path dataDir;
    static RunningGateway gw;

    @BeforeAll
    static void start() {
        gw = RunningGateway.embedded(dataDir);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static String discover(ObjectNode facts) {
        RunningGateway.Response r = gw.post("/api/v1/bootstrap/discover", facts);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("machineId").asText();
    }

    @Test
    void discoverAnswersMachineIdAndDiscoveredAndIsIdempotent() {
        ObjectNode facts = Hardware.clone("server-nvme-sata-usb", 101);
        RunningGateway.Response first = gw.post("/api/v1/bootstrap/discover", facts);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("state").asText()).isEqualTo("DISCOVERED");
        assertThat(first.json().get("instruction").asText()).isEqualTo("wait");
        assertThat(first.json().has("installToken")).isFalse();
        String id = first.json().get("machineId").asText();

        RunningGateway.Response again = gw.post("/api/v1/bootstrap/discover", facts);
        assertThat(again.json().get("machineId").asText()).isEqualTo(id);
        assertThat(gw.get("/api/v1/machines/" + id + "/events").json()).hasSize(1);

        ((ObjectNode) facts).put("memoryBytes", 549755813888L); // a DIMM was added: new facts, one new event
        gw.post("/api/v1/bootstrap/discover", facts);
        JsonNode events = gw.get("/api/v1/machines/" + id + "/events").json();
        assertThat(events).hasSize(2);
        assertThat(events.get(1).get("type").asText()).isEqualTo("InventoryRefreshed");
    }

    @Test
    void placeholderSmbiosUuidWithTwoNicsIsIdentifiedByLowestPermanentMac() {
        String id = discover(Hardware.load("placeholder-uuid-two-nics"));
        // enp6s0's current MAC (02:11:…) is lower but randomised; its permanent MAC d0:50:99:f1:00:0a is the lowest
        assertThat(id).isEqualTo(MachineId.ofFingerprint("mac:d0:50:99:f1:00:0a").toString());
        JsonNode detail = gw.get("/api/v1/machines/" + id + "?consistent=true").json();
        assertThat(detail.get("fingerprint").asText()).isEqualTo("mac:d0:50:99:f1:00:0a");
    }

    @Test
    void operatorWalksAMachineThroughItsLifecycleAndEveryEventCarriesPrincipalAndCorrelationId() {
        String id = discover(Hardware.clone("server-nvme-sata-usb", 102));
        String m = "/api/v1/machines/" + id;
        RunningGateway.Response inspected = gw.post(m + "/inspect", null, Map.of("X-Correlation-Id", "req-inspect-1"));
        assertThat(inspected.status()).as(inspected.toString()).isEqualTo(202);
        assertThat(inspected.json().get("state").asText()).isEqualTo("INSPECTED");
        assertThat(inspected.etag()).isEqualTo("\"1\"");

        RunningGateway.Response commissioned = gw.post(m + "/commission",
                Map.of("nodeClass", "worker", "pool", "rack-a", "hostname", "worker-7", "labels", Map.of("role", "worker")));
        assertThat(commissioned.status()).as(commissioned.toString()).isEqualTo(202);
        assertThat(commissioned.json().get("state").asText()).isEqualTo("COMMISSIONED");
        assertThat(commissioned.json().get("hostname").asText()).isEqualTo("worker-7");

        RunningGateway.Response install = gw.post(m + "/install", Map.of("attemptLimit", 2));
        assertThat(install.json().get("state").asText()).isEqualTo("INSTALL_PENDING");
        RunningGateway.Response failed = gw.post(m + "/mark-failed", Map.of("reason", "disk smart errors"));
        assertThat(failed.json().get("lastFailure").get("reason").asText()).isEqualTo("disk smart errors");
        RunningGateway.Response recovered = gw.post(m + "/recover", null);
        assertThat(recovered.json().get("state").asText()).isEqualTo("COMMISSIONED");

        JsonNode events = gw.get(m + "/events").json();
        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(e.get("type").asText()));
        assertThat(types).containsExactly("MachineDiscovered", "MachineInspected", "MachineCommissioned",
                "NodeAssigned", "InstallRequested", "MachineMarkedFailed", "MachineRecovered");
        for (JsonNode e : events) {
            assertThat(e.get("metadata").get("principal").asText()).as(e.toString()).isNotBlank();
            assertThat(e.get("metadata").get("correlationId").asText()).as(e.toString()).isNotBlank();
            assertThat(e.get("sequence").isIntegralNumber()).isTrue();
            assertThat(e.get("timestamp").asText()).isNotBlank();
        }
        assertThat(events.get(0).get("metadata").get("principal").asText()).startsWith("installer@");
        assertThat(events.get(1).get("metadata").get("correlationId").asText()).isEqualTo("req-inspect-1");
        assertThat(events.get(5).get("payload").get("by").asText())
                .isEqualTo(events.get(5).get("metadata").get("principal").asText());

        JsonNode atZero = gw.get(m + "/state?at=0").json();
        assertThat(atZero.get("state").asText()).isEqualTo("DISCOVERED");
        assertThat(atZero.get("version").asLong()).isZero();
        assertThat(gw.get(m + "/state?at=3").json().get("state").asText()).isEqualTo("COMMISSIONED");
        String inspectTime = events.get(1).get("timestamp").asText();
        assertThat(gw.get(m + "/state?at=" + inspectTime).json().get("state").asText()).isEqualTo("INSPECTED");
    }

    @Test
    void illegalActionIsAConflictNamingStateAndAllowedStates() {
        String id = discover(Hardware.clone("server-nvme-sata-usb", 103));
        RunningGateway.Response r = gw.post("/api/v1/machines/" + id + "/drain", null);
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.isProblem()).as(r.toString()).isTrue();
        JsonNode p = r.json();
        assertThat(p.get("currentState").asText()).isEqualTo("DISCOVERED");
        assertThat(p.get("command").asText()).isEqualTo("drain");
        assertThat(p.get("allowedFrom")).extracting(JsonNode::asText).containsExactly("ACTIVE");
        assertThat(p.get("machineId").asText()).isEqualTo(id);
        assertThat(p.get("detail").asText()).contains(id, "DISCOVERED", "drain", "ACTIVE");
        assertThat(gw.get("/api/v1/machines/" + id + "/events").json()).hasSize(1); // nothing half-written
    }

    @Test
    void staleIfMatchVersionIsARetryableConflict() {
        String id = discover(Hardware.clone("server-nvme-sata-usb", 104));
        String m = "/api/v1/machines/" + id;
        assertThat(gw.post(m + "/inspect", null, Map.of("If-Match", "\"0\"")).status()).isEqualTo(202);
        RunningGateway.Response stale = gw.post(m + "/inspect", null, Map.of("If-Match", "\"0\""));
        assertThat(stale.status()).as(stale.toString()).isEqualTo(409);
        assertThat(stale.json().get("retryable").asBoolean()).isTrue();
        assertThat(stale.json().get("currentVersion").asLong()).isEqualTo(1);
    }

    @Test
    void unknownMachineIsNotFound() {
        RunningGateway.Response r = gw.get("/api/v1/machines/" + java.util.UUID.randomUUID());
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.isProblem()).isTrue();
        assertThat(gw.post("/api/v1/machines/" + java.util.UUID.randomUUID() + "/inspect", null).status()).isEqualTo(404);
        assertThat(gw.get("/api/v1/machines/" + java.util.UUID.randomUUID() + "/events").status()).isEqualTo(404);
    }

    @Test
    void malformedAndInvalidBodiesAreBadRequestsWithFieldPaths() {
        RunningGateway.Response wrongType = gw.post("/api/v1/bootstrap/discover",
                "{\"nics\":[{\"name\":\"eno1\",\"speedMbps\":\"fast\"}]}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().get("errors").get(0).get("field").asText()).isEqualTo("nics[0].speedMbps");

        RunningGateway.Response badMac = gw.post("/api/v1/bootstrap/discover",
                "{\"nics\":[{\"name\":\"eno1\",\"mac\":\"not-a-mac\"}],\"disks\":[{\"sizeBytes\":-1}]}");
        assertThat(badMac.status()).isEqualTo(400);
        assertThat(badMac.json().get("errors")).extracting(e -> e.get("field").asText())
                .contains("nics[0].mac", "disks[0].name", "disks[0].sizeBytes");

        RunningGateway.Response noIdentity = gw.post("/api/v1/bootstrap/discover", "{\"nics\":[]}");
        assertThat(noIdentity.status()).isEqualTo(400);
        assertThat(noIdentity.json().get("errors").get(0).get("field").asText()).isEqualTo("identity.smbiosUuid");

        RunningGateway.Response truncated = gw.post("/api/v1/bootstrap/discover", "{\"nics\":[{\"mac\":");
        assertThat(truncated.status()).isEqualTo(400);
        assertThat(truncated.json().get("detail").asText()).contains("malformed JSON");

        String id = discover(Hardware.clone("server-nvme-sata-usb", 105));
        gw.post("/api/v1/machines/" + id + "/inspect", null);
        RunningGateway.Response missing = gw.post("/api/v1/machines/" + id + "/commission",
                Map.of("hostname", "Not_A_Hostname"));
        assertThat(missing.status()).isEqualTo(400);
        // nodeClass and pool may be omitted (they come from the matching enrollment rule); a bad hostname may not
        assertThat(missing.json().get("errors")).extracting(e -> e.get("field").asText())
                .containsExactlyInAnyOrder("hostname");
        RunningGateway.Response noIntent = gw.post("/api/v1/machines/" + id + "/commission", Map.of("pool", "general"));
        assertThat(noIntent.status()).isEqualTo(409);
        assertThat(noIntent.json().get("detail").asText()).contains("no cluster intent has been imported");
    }

    /**
     * Bodies in other tools' shapes (Ironic's inspection data, a Tinkerbell hardware record): every field
     * is unknown here, so nothing identifies a machine. Refused with 400 naming the identity fields, and no
     * phantom machine appears in the inventory.
     */
    @Test
    void aDiscoverBodyWithoutIdentityIsRefusedNamingTheMissingFieldsAndCreatesNoMachine() {
        long before = totalOnceVisible(discover(Hardware.clone("server-nvme-sata-usb", 176)));
        String ironic = """
                {"inventory": {"interfaces": [{"name": "eno1", "mac_address": "3c:ec:ef:4a:77:02", "has_carrier": true}],
                               "disks": [{"name": "/dev/nvme0n1", "size": 960197124096, "rotational": false}],
                               "system_vendor": {"manufacturer": "Supermicro", "product_name": "SYS-1029P-WTR",
                                                 "serial_number": "S1", "uuid": "7c2a9e00-3f41-11ee-8000-3cecef6a7702"},
                               "memory": {"physical_mb": 131072}},
                 "cpu": {"count": 32, "architecture": "x86_64"}, "boot_interface": "3c:ec:ef:4a:77:02"}""";
        String tinkerbell = """
                {"id": "0eba0bf8-3772-4b4a-ab9f-6ebe93b90a94",
                 "metadata": {"facility": {"plan_slug": "c3.small.x86"}, "instance": {"hostname": "tb-1"}},
                 "network": {"interfaces": [{"dhcp": {"mac": "3c:ec:ef:4a:77:03", "arch": "x86_64",
                                                      "ip": {"address": "10.0.0.77", "netmask": "255.255.255.0"}},
                                             "netboot": {"allow_pxe": true}}]}}""";
        for (String body : List.of(ironic, tinkerbell)) {
            RunningGateway.Response r = gw.post("/api/v1/bootstrap/discover", body);
            assertThat(r.status()).as(r.toString()).isEqualTo(400);
            assertThat(r.isProblem()).isTrue();
            assertThat(r.json().get("detail").asText()).contains("cannot be identified");
            assertThat(r.json().get("errors")).extracting(e -> e.get("field").asText())
                    .containsExactly("identity.smbiosUuid", "nics[].permanentMac");
            assertThat(r.json().get("errors").get(0).get("message").asText()).startsWith("missing");
            assertThat(r.json().get("errors").get(1).get("message").asText()).startsWith("missing: no NICs reported");
        }
        // a machine discovered afterwards shows up alone: the read model, in event order, holds no phantom before it
        assertThat(totalOnceVisible(discover(Hardware.clone("server-nvme-sata-usb", 177)))).isEqualTo(before + 1);
    }

    /** The inventory's size once machine {@code id} is in it (the read model folds events in order). */
    static long totalOnceVisible(String id) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(gw.get("/api/v1/machines?q=" + id).json().get("total").asLong()).isEqualTo(1));
        return gw.get("/api/v1/machines?size=1").json().get("total").asLong();
    }

    @Test
    void oversizedBodyIsRefusedWith413() {
        String big = "{\"installer\":{\"version\":\"" + "x".repeat(1_100_000) + "\"}}";
        RunningGateway.Response r = gw.post("/api/v1/bootstrap/discover", big);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.isProblem()).isTrue();
    }

    @Test
    void inventoryFiltersByStateClassPoolLabelAndTextAndPages() {
        String a = discover(Hardware.clone("server-nvme-sata-usb", 201));
        String b = discover(Hardware.clone("server-nvme-sata-usb", 202));
        for (String id : List.of(a, b)) {
            gw.post("/api/v1/machines/" + id + "/inspect", null);
        }
        gw.post("/api/v1/machines/" + a + "/commission",
                Map.of("nodeClass", "storage", "pool", "rack-z", "hostname", "store-201", "labels", Map.of("tier", "cold")));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                gw.get("/api/v1/machines?pool=rack-z").json().get("total").asLong()).isEqualTo(1));

        assertThat(gw.get("/api/v1/machines?nodeClass=storage&label=tier=cold").json().get("items").get(0)
                .get("machineId").asText()).isEqualTo(a);
        assertThat(gw.get("/api/v1/machines?label=tier").json().get("total").asLong()).isEqualTo(1);
        assertThat(gw.get("/api/v1/machines?q=SN202").json().get("items").get(0).get("machineId").asText()).isEqualTo(b);
        assertThat(gw.get("/api/v1/machines?q=02:00:00:00:00:ca").json().get("items").get(0).get("machineId").asText())
                .isEqualTo(b);
        assertThat(gw.get("/api/v1/machines?q=store-201").json().get("total").asLong()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode inspected = gw.get("/api/v1/machines?state=INSPECTED&q=SN20").json();
            assertThat(inspected.get("total").asLong()).isEqualTo(1);
        });
        JsonNode page = gw.get("/api/v1/machines?size=1&page=0&sort=machineId,desc").json();
        assertThat(page.get("items")).hasSize(1);
        assertThat(page.get("size").asInt()).isEqualTo(1);
        assertThat(page.get("total").asLong()).isGreaterThanOrEqualTo(2);

        RunningGateway.Response badState = gw.get("/api/v1/machines?state=SLEEPING&size=0");
        assertThat(badState.status()).isEqualTo(400);
        assertThat(badState.json().get("errors")).extracting(e -> e.get("field").asText()).contains("state", "size");
    }

    @Test
    void detailKeepsLifecyclePowerRolloutAndHealthApart() {
        String id = discover(Hardware.clone("server-nvme-sata-usb", 301));
        JsonNode d = gw.get("/api/v1/machines/" + id + "?consistent=true").json();
        assertThat(d.get("state").asText()).isEqualTo("DISCOVERED");
        assertThat(d.get("power").get("state").asText()).isEqualTo("on");
        assertThat(d.get("rollout").get("status").asText()).isEqualTo("none");
        assertThat(d.get("health").get("status").asText()).isEqualTo("unknown");
        assertThat(d.get("hardware").get("disks")).hasSize(3);
    }

    @Test
    void operationalEndpointsAnswer() {
        assertThat(gw.get("/actuator/health").json().get("status").asText()).isEqualTo("UP");
        assertThat(gw.get("/actuator/prometheus").body()).contains("jvm_memory_used_bytes");
        assertThat(gw.get("/v3/api-docs").json().get("paths").has("/api/v1/bootstrap/discover")).isTrue();
        JsonNode projections = gw.get("/api/v1/admin/projections").json();
        assertThat(projections).extracting(p -> p.get("name").asText()).contains("inventory");
    }
}
