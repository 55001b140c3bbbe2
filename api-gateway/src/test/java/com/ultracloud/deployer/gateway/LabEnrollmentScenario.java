package com.ultracloud.deployer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.machine.api.intent.ImportClusterIntent;
import com.ultracloud.deployer.machine.domain.intent.IntentDigest;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lab end to end against a running gateway: import {@code nix/examples/lab}'s cluster state,
 * discover each machine with its {@code hardware/*.json}, and watch the enrollment policy inspect,
 * commission and (where the node or rule says so) request the install: the three seeds and the two
 * workers get plans from discovery alone, the storage box waits for an operator and says why.
 * Shared by the H2 and PostgreSQL tests.
 */
final class LabEnrollmentScenario {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path LAB = Path.of("..", "nix", "examples", "lab");
    static final String INTENT = "/api/v1/cluster/intent";

    /** lab machine → expected {state, hostname, class, pool, matched}. */
    static final Map<String, List<String>> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("cp-1", List.of("INSTALL_PENDING", "cp-1", "control-plane", "control-plane", "node:cp-1"));
        EXPECTED.put("cp-2", List.of("INSTALL_PENDING", "cp-2", "control-plane", "control-plane", "node:cp-2"));
        EXPECTED.put("cp-3", List.of("INSTALL_PENDING", "cp-3", "control-plane", "control-plane", "node:cp-3"));
        EXPECTED.put("storage-1", List.of("COMMISSIONED", "storage-1", "storage", "storage", "rule:storage-hdd"));
        EXPECTED.put("worker-1", List.of("INSTALL_PENDING", "worker-1", "worker", "general", "rule:workers-epyc"));
        EXPECTED.put("worker-2", List.of("INSTALL_PENDING", "worker-2", "worker", "general", "rule:workers-epyc"));
    }

    private final RunningGateway gw;

    LabEnrollmentScenario(RunningGateway gw) {
        this.gw = gw;
    }

    static byte[] labDocument() {
        try {
            return Files.readAllBytes(LAB.resolve("expected-cluster-state.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode labJson() {
        try {
            return (ObjectNode) JSON.readTree(labDocument());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode hardware(String machine) {
        try {
            return JSON.readTree(LAB.resolve("hardware").resolve(machine + ".json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lab's clusterState as {@code nix-instantiate} prints it: one line, no indentation. */
    static byte[] nixInstantiateOutput() throws Exception {
        NixSchemaTest.requireNix();
        NixSchemaTest.Run r = NixSchemaTest.run(NixSchemaTest.nixInstantiate("--eval", "--strict", "--json", "-A", "clusterState",
                "nix/examples/lab"));
        assertThat(r.exit()).as("nix-instantiate failed: %s", r.err()).isZero();
        return r.out().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    long intentEvents() {
        return gw.bean(EventStore.class).readEvents(ImportClusterIntent.INTENT_ID).asStream().count();
    }

    RunningGateway.Response put(byte[] body) {
        return gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + INTENT))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofByteArray(body)), Map.of());
    }

    RunningGateway.Response put(JsonNode doc) {
        return put(RunningGateway.write(doc).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Import, import again (a no-op), read back. */
    void importTheLab() throws Exception {
        RunningGateway.Response none = gw.get(INTENT);
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.isProblem()).isTrue();

        byte[] doc = labDocument();
        RunningGateway.Response first = put(doc);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.json().get("generation").asLong()).isEqualTo(1);
        assertThat(first.json().get("changed").asBoolean()).isTrue();
        assertThat(first.json().get("sha256").asText()).isEqualTo(IntentDigest.sha256(doc));
        assertThat(first.json().get("importedAt").asText()).isNotBlank();

        RunningGateway.Response again = put(doc);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("generation").asLong()).isEqualTo(1);
        assertThat(again.json().get("changed").asBoolean()).isFalse();
        assertThat(again.json().get("importedAt").asText()).isEqualTo(first.json().get("importedAt").asText());

        // the same document formatted otherwise: nix-instantiate's raw output (one line) and Jackson's compact
        // copy are the generation in force, not a new one (IntentDigestTest: key order, numbers, escapes)
        byte[] raw = nixInstantiateOutput();
        byte[] compact = JSON.writeValueAsBytes(labJson());
        for (byte[] sameDocument : List.of(raw, compact)) {
            assertThat(sameDocument).isNotEqualTo(doc);
            RunningGateway.Response same = put(sameDocument);
            assertThat(same.status()).as(same.toString()).isEqualTo(200);
            assertThat(same.json().get("generation").asLong()).isEqualTo(1);
            assertThat(same.json().get("changed").asBoolean()).isFalse();
            assertThat(same.json().get("sha256").asText()).isEqualTo(first.json().get("sha256").asText());
        }
        assertThat(intentEvents()).as("one ClusterIntentImported").isEqualTo(1);

        JsonNode current = gw.get(INTENT).json();
        assertThat(current.get("generation").asLong()).isEqualTo(1);
        assertThat(current.get("sha256").asText()).isEqualTo(IntentDigest.sha256(doc));
        assertThat(current.get("clusterId").asText()).isEqualTo("lab");
        assertThat(current.get("document").get("nodes")).hasSize(3);
        assertThat(current.get("document").get("servicePolicies")).isEqualTo(labJson().get("servicePolicies"));
    }

    /**
     * Every lab machine discovers itself and ends where the intent puts it: the seeds (autoInstall on
     * their node) and the workers (autoInstall on their rule) with a plan whose root disk is named by id,
     * the storage box COMMISSIONED with the reason it waits. Answers name → machine id.
     */
    Map<String, String> discoverTheLab() {
        Map<String, String> ids = new LinkedHashMap<>();
        for (String machine : EXPECTED.keySet()) {
            RunningGateway.Response r = gw.post("/api/v1/bootstrap/discover", hardware(machine));
            assertThat(r.status()).as(machine + ": " + r).isEqualTo(200);
            ids.put(machine, r.json().get("machineId").asText());
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            for (var e : EXPECTED.entrySet()) {
                JsonNode d = gw.get("/api/v1/machines/" + ids.get(e.getKey()) + "?consistent=true").json();
                assertThat(d.get("state").asText()).as(e.getKey() + ": " + d.get("enrollment")).isEqualTo(e.getValue().get(0));
            }
        });
        Set<String> hostnames = new HashSet<>();
        for (var e : EXPECTED.entrySet()) {
            List<String> want = e.getValue();
            JsonNode d = gw.get("/api/v1/machines/" + ids.get(e.getKey()) + "?consistent=true").json();
            assertThat(d.get("hostname").asText()).as(e.getKey()).isEqualTo(want.get(1));
            assertThat(d.get("nodeClass").asText()).as(e.getKey()).isEqualTo(want.get(2));
            assertThat(d.get("pool").asText()).as(e.getKey()).isEqualTo(want.get(3));
            assertThat(d.get("assignment").get("matchedRule").asText()).isEqualTo(want.get(4));
            assertThat(d.get("assignment").get("intentGeneration").asLong()).isEqualTo(1);
            JsonNode enrollment = d.get("enrollment");
            assertThat(enrollment.get("matched").asText()).isEqualTo(want.get(4));
            assertThat(enrollment.get("intentGeneration").asLong()).isEqualTo(1);
            String kind = want.get(4).replace(':', ' ');
            assertThat(enrollment.get("explanation").toString()).contains(kind + ": matched");
            assertThat(enrollment.get("assignment").get("hostname").asText()).isEqualTo(want.get(1));
            assertThat(hostnames.add(d.get("hostname").asText())).as("unique hostname " + d.get("hostname")).isTrue();
            List<String> types = new java.util.ArrayList<>();
            gw.get("/api/v1/machines/" + ids.get(e.getKey()) + "/events").json().forEach(ev -> types.add(ev.get("type").asText()));
            assertThat(types).as(e.getKey()).startsWith("MachineDiscovered", "MachineInspected", "MachineCommissioned", "NodeAssigned");
            if (want.get(0).equals("INSTALL_PENDING")) {
                assertThat(types).contains("InstallRequested");
            }
        }
        // the storage box: labels of pool, class and rule; it waits for an operator, and says why
        JsonNode storage = gw.get("/api/v1/machines/" + ids.get("storage-1") + "?consistent=true").json();
        assertThat(storage.get("labels").get("ultracloud.io/disk-tier").asText()).isEqualTo("hdd");
        assertThat(storage.get("labels").get("ultracloud.io/tier").asText()).isEqualTo("storage");
        assertThat(storage.get("labels").get("ultracloud.io/role").asText()).isEqualTo("storage");
        JsonNode waits = storage.get("enrollment");
        assertThat(waits.get("auto").get("install").asBoolean()).isFalse();
        List<String> lines = new java.util.ArrayList<>();
        waits.get("explanation").forEach(l -> lines.add(l.asText()));
        assertThat(lines).last().isEqualTo("install: waits for an operator to request the install: "
                + "rule storage-hdd does not install automatically (autoInstall = false)");
        assertThat(waits.get("waitingFor").asText()).isEqualTo("waits for an operator to request the install: "
                + "rule storage-hdd does not install automatically (autoInstall = false)");
        JsonNode seed = gw.get("/api/v1/machines/" + ids.get("cp-1") + "?consistent=true").json().get("enrollment");
        assertThat(seed.get("auto").get("install").asBoolean()).isTrue();
        assertThat(seed.get("waitingFor").isNull()).as("a seed waits for nobody").isTrue();
        // the others got their plans from discovery alone, the root disk named by id
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            for (var e : EXPECTED.entrySet()) {
                if (e.getValue().get(0).equals("INSTALL_PENDING")) {
                    RunningGateway.Response plan = gw.get("/api/v1/machines/" + ids.get(e.getKey()) + "/install-plan");
                    assertThat(plan.status()).as(e.getKey() + ": " + plan).isEqualTo(200);
                    assertThat(plan.json().get("plan").get("rootDevice").get("path").asText()).as(e.getKey())
                            .startsWith("/dev/disk/by-id/");
                }
            }
        });
        // cp-1's root is its second NVMe, chosen by its node's serial hint
        JsonNode cp1Root = gw.get("/api/v1/machines/" + ids.get("cp-1") + "/install-plan").json().get("plan").get("rootDevice");
        assertThat(cp1Root.get("path").asText()).isEqualTo("/dev/disk/by-id/nvme-eui.000000000000000100a075233c1a4e5f");
        assertThat(cp1Root.get("reason").asText()).startsWith("Hints of node 'cp-1'");
        // no plan for storage-1: asked of the read model at the machine's current version, so a lagging one cannot pass it
        long storageVersion = gw.get("/api/v1/machines/" + ids.get("storage-1") + "?consistent=true").json().get("version").asLong();
        assertThat(gw.get("/api/v1/machines/" + ids.get("storage-1") + "/install-plan?minVersion=" + storageVersion).status())
                .isEqualTo(404);
        return ids;
    }

    /** A Dell box that no node or rule wants waits in DISCOVERED, with its explanation; commission without a body is refused. */
    String anUnmatchedMachineWaits() {
        ObjectNode facts = Hardware.clone("server-nvme-sata-usb", 4242);
        String id = gw.post("/api/v1/bootstrap/discover", facts).json().get("machineId").asText();
        JsonNode d = gw.get("/api/v1/machines/" + id + "?consistent=true").json();
        assertThat(d.get("state").asText()).isEqualTo("DISCOVERED");
        JsonNode enrollment = d.get("enrollment");
        assertThat(enrollment.get("matched").isNull()).isTrue();
        assertThat(enrollment.get("explanation").toString())
                .contains("rule storage-hdd: dmi.vendor: \\\"Dell Inc.\\\" is not s== \\\"Supermicro\\\"")
                .contains("no node or rule matches");
        // the policy does nothing with it, even after a while
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(60)).until(() ->
                gw.get("/api/v1/machines/" + id + "/events").json().size() == 1);

        RunningGateway.Response inspected = gw.post("/api/v1/machines/" + id + "/inspect", null);
        assertThat(inspected.status()).as(inspected.toString()).isEqualTo(202);
        assertThat(inspected.json().get("state").asText()).isEqualTo("INSPECTED");
        RunningGateway.Response refused = gw.post("/api/v1/machines/" + id + "/commission", null);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.isProblem()).isTrue();
        assertThat(refused.json().get("detail").asText()).contains("no node or enrollment rule matches");
        assertThat(refused.json().get("enrollment").get("explanation").toString()).contains("no node or rule matches");
        // an explicit assignment still works, and unknown names are refused
        RunningGateway.Response unknown = gw.post("/api/v1/machines/" + id + "/commission",
                Map.of("nodeClass", "gpu", "pool", "general", "hostname", "dell-1"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("errors").get(0).get("field").asText()).isEqualTo("nodeClass");
        RunningGateway.Response taken = gw.post("/api/v1/machines/" + id + "/commission",
                Map.of("nodeClass", "worker", "pool", "general", "hostname", "worker-1"));
        assertThat(taken.status()).as(taken.toString()).isEqualTo(409);
        assertThat(taken.json().get("detail").asText()).contains("hostname worker-1 is already assigned");
        return id;
    }

    /** Replaying the policy's processor re-delivers every event, and the policy sends nothing again. */
    void replayingThePolicySendsNoCommand(Map<String, String> ids) {
        Map<String, Integer> before = new HashMap<>();
        ids.forEach((name, id) -> before.put(id, gw.get("/api/v1/machines/" + id + "/events").json().size()));
        RunningGateway.Response r = gw.post("/api/v1/admin/projections/enrollment-policy/replay", null);
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode s = gw.get("/api/v1/admin/projections").json();
            JsonNode policy = null;
            for (JsonNode p : s) {
                if (p.get("name").asText().equals("enrollment-policy")) {
                    policy = p;
                }
            }
            assertThat(policy).isNotNull();
            assertThat(policy.get("running").asBoolean()).isTrue();
            // Axon marks a processor as replaying until an event newer than the reset arrives: look at the lag
            // lag is absent while the restarted processor has not claimed its segment yet
            assertThat(policy.path("lag").isNumber()).as(policy.toString()).isTrue();
            assertThat(policy.get("lag").asLong()).isZero();
        });
        ids.forEach((name, id) -> assertThat(gw.get("/api/v1/machines/" + id + "/events").json().size())
                .as(name).isEqualTo(before.get(id)));
    }

    /** A broken document: 400 with every error and its path, nothing imported. */
    void aBrokenDocumentIsRefusedWithEveryError() {
        ObjectNode doc = labJson();
        for (JsonNode c : doc.get("nodeClasses")) {
            if (c.get("name").asText().equals("worker")) {
                ((ObjectNode) c).put("installProfile", "wrker");
            }
        }
        for (JsonNode n : doc.get("nodes")) {
            if (n.get("nodeId").asText().equals("cp-2")) {
                ((ObjectNode) n).put("hostname", "cp-1");
            }
        }
        for (JsonNode p : doc.get("diskPolicies")) {
            if (p.get("name").asText().equals("nvme-root")) {
                ((ObjectNode) p.get("rootDeviceHints").get(1)).put("operator", "=>");
            }
        }
        RunningGateway.Response r = put(doc);
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.isProblem()).isTrue();
        Map<String, String> errors = new HashMap<>();
        r.json().get("errors").forEach(e -> errors.put(e.get("field").asText(), e.get("message").asText()));
        assertThat(errors).containsOnlyKeys("nodeClasses[worker].installProfile", "nodes[cp-2].hostname",
                "diskPolicies[nvme-root].rootDeviceHints[size]");
        assertThat(errors.get("nodeClasses[worker].installProfile")).contains("unknown profile \"wrker\"");
        assertThat(errors.get("nodes[cp-2].hostname")).contains("duplicate hostname \"cp-1\"");
        assertThat(errors.get("diskPolicies[nvme-root].rootDeviceHints[size]")).contains("operator \"=>\"");
        // a value of the wrong type is named by its JSON path (nodes by position): nodes.cp-2.autoInstall in Nix
        ObjectNode wrongType = labJson();
        ((ObjectNode) wrongType.get("nodes").get(1)).put("autoInstall", "yes");
        RunningGateway.Response typed = put(wrongType);
        assertThat(typed.status()).as(typed.toString()).isEqualTo(400);
        assertThat(typed.json().get("errors").get(0).get("field").asText()).isEqualTo("nodes[1].autoInstall");
        assertThat(typed.json().get("errors").get(0).get("message").asText()).contains("true or false");
        assertThat(gw.get(INTENT).json().get("generation").asLong()).isEqualTo(1);
    }

    /** Preview of a document that renames the workers and adds a rule for the Dell box: only those machines are listed. */
    void previewShowsTheMachinesAChangedDocumentWouldMove(Map<String, String> ids, String dell) {
        ObjectNode doc = labJson();
        ArrayNode rules = (ArrayNode) doc.get("enrollmentRules");
        for (JsonNode r : rules) {
            if (r.get("name").asText().equals("workers-epyc")) {
                ((ObjectNode) r.get("assign")).put("hostnamePattern", "compute-{index}");
            }
        }
        ObjectNode dellRule = rules.addObject();
        dellRule.put("name", "dell-general").put("autoCommission", false).put("autoInstall", false);
        ObjectNode vendor = dellRule.putObject("match").putObject("dmi").putObject("vendor");
        vendor.put("operator", "<in>").putArray("values").add("dell");
        dellRule.putObject("assign").put("nodeClass", "worker").put("pool", "general").put("hostnamePattern", "dell-{index}");

        RunningGateway.Response r = gw.post(INTENT + "/preview", doc);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode p = r.json();
        assertThat(p.get("valid").asBoolean()).isTrue();
        assertThat(p.get("changed").asBoolean()).isTrue();
        assertThat(p.get("currentGeneration").asLong()).isEqualTo(1);
        Map<String, JsonNode> byId = new HashMap<>();
        p.get("machines").forEach(m -> byId.put(m.get("machineId").asText(), m));
        assertThat(byId).containsOnlyKeys(ids.get("worker-1"), ids.get("worker-2"), dell);
        JsonNode w1 = byId.get(ids.get("worker-1"));
        assertThat(w1.get("current").get("hostname").asText()).isEqualTo("worker-1");
        assertThat(w1.get("wouldBe").get("hostname").asText()).isEqualTo("compute-1");
        assertThat(byId.get(ids.get("worker-2")).get("wouldBe").get("hostname").asText()).isEqualTo("compute-2");
        JsonNode d = byId.get(dell);
        assertThat(d.get("current").get("matched").isNull()).isTrue();
        assertThat(d.get("wouldBe").get("matched").asText()).isEqualTo("rule:dell-general");
        assertThat(d.get("wouldBe").get("hostname").asText()).isEqualTo("dell-1");

        // the preview imported nothing
        assertThat(gw.get(INTENT).json().get("generation").asLong()).isEqualTo(1);
        // the same document as in force: nothing would change
        JsonNode same = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + INTENT + "/preview"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(labDocument())),
                Map.of()).json();
        assertThat(same.get("changed").asBoolean()).isFalse();
        assertThat(same.get("machines")).isEmpty();
        // an invalid document: the errors, no machines
        doc.withArray("nodes").removeAll();
        ((ObjectNode) rules.get(0).get("assign")).put("nodeClass", "nope");
        JsonNode invalid = gw.post(INTENT + "/preview", doc).json();
        assertThat(invalid.get("valid").asBoolean()).isFalse();
        assertThat(invalid.get("errors").get(0).get("field").asText()).isEqualTo("enrollmentRules[storage-hdd].assign.nodeClass");
    }

    /**
     * The operator installs the machine the intent leaves COMMISSIONED (the storage box); then every lab
     * machine is INSTALL_PENDING with a plan whose root device is a stable path, and its installer is
     * told to install with a token.
     */
    void everyLabMachineGetsAnInstallPlan(Map<String, String> ids) {
        for (var e : EXPECTED.entrySet()) {
            if (e.getValue().get(0).equals("COMMISSIONED")) {
                RunningGateway.Response r = gw.post("/api/v1/machines/" + ids.get(e.getKey()) + "/install", null);
                assertThat(r.status()).as(e.getKey() + ": " + r).isEqualTo(202);
            }
        }
        Set<String> rootDevices = new HashSet<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            rootDevices.clear();
            for (var e : EXPECTED.entrySet()) {
                String id = ids.get(e.getKey());
                RunningGateway.Response plan = gw.get("/api/v1/machines/" + id + "/install-plan");
                assertThat(plan.status()).as(e.getKey() + ": " + plan).isEqualTo(200);
                JsonNode root = plan.json().get("plan").get("rootDevice");
                String path = root.get("path").asText();
                assertThat(path).as(e.getKey()).matches("/dev/disk/by-(id|path)/.+").doesNotContain("usb-");
                assertThat(root.get("matchedHints").size()).as(e.getKey() + " matched hints").isPositive();
                assertThat(plan.body()).doesNotContain("PRIVATE KEY").doesNotContain("servicePolicies");
                rootDevices.add(e.getKey() + "=" + path);
                JsonNode discover = gw.post("/api/v1/bootstrap/discover", hardware(e.getKey())).json();
                assertThat(discover.get("state").asText()).isEqualTo("INSTALL_PENDING");
                assertThat(discover.get("instruction").asText()).isEqualTo("install");
                assertThat(discover.get("installToken").asText()).hasSizeGreaterThanOrEqualTo(43);
            }
        });
        assertThat(rootDevices).hasSize(EXPECTED.size());
    }
}
