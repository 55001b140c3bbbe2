package com.ultracloud.deployer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.gateway.bootstrap.Installs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An intent that leaves out every optional field the schema allows ({@code nix/tests/sparse.nix}: a pool
 * without failureDomain, a node without pool or addresses, a rule with only a class, ...) must never
 * strand a machine: every install request ends in a plan or in a visible InstallPlanFailed. Imported
 * three ways: as nix-instantiate exports it (absent = null), with every null and empty value removed,
 * and bare (also without the values the schema fills in by default), as a hand-written client would.
 */
class SparseIntentTest {

    /** Keys whose value the schema exports from a default when the author leaves them out. */
    static final Set<String> DEFAULTED = Set.of("wipe", "autoInspect", "autoCommission", "autoInstall",
            "hostnamePattern", "prefixLength", "batchSize", "maxUnavailable", "drainPolicy", "healthCheck",
            "activationTimeoutSeconds", "rollbackPolicy", "kernelParams", "labels", "requirements");

    @TempDir
    static Path dataDir;
    static RunningGateway gw;
    static JsonNode exported;
    static int nextClone = 1;

    @BeforeAll
    static void start() throws Exception {
        NixSchemaTest.requireNix();
        NixSchemaTest.Run r = NixSchemaTest.run(NixSchemaTest.nixInstantiate("--eval", "--strict", "--json",
                "nix/tests/sparse.nix"));
        assertThat(r.exit()).as("nix-instantiate nix/tests/sparse.nix: %s", r.err()).isZero();
        exported = NixSchemaTest.JSON.readTree(r.out());
        gw = RunningGateway.embedded(dataDir, "--deployer.bootstrap.poll-after-seconds=1");
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void asExportedWithNullsEveryMachineGetsAPlan() {
        importIntent(exported);
        installsGetPlans(true);
    }

    @Test
    void withEveryNullAndEmptyValueRemovedEveryMachineGetsAPlan() {
        importIntent(strip(exported.deepCopy(), Set.of()));
        installsGetPlans(false);
    }

    @Test
    void bareWithoutDefaultedValuesEveryMachineGetsAPlan() {
        importIntent(strip(exported.deepCopy(), DEFAULTED));
        installsGetPlans(false);
    }

    /**
     * The fixed node (first time only: it holds its identity), a machine commissioned from the catch-all
     * rule (no pool), and one commissioned explicitly into the pool without a failure domain.
     */
    private void installsGetPlans(boolean withFixedNode) {
        Map<String, ObjectNode> machines = new LinkedHashMap<>();
        if (withFixedNode) {
            ObjectNode node = Hardware.clone("server-nvme-sata-usb", 1);
            String id = discover(node);
            awaitState(id, "COMMISSIONED"); // a fixed node is inspected and commissioned by the enrollment policy
            assertThat(detail(id).get("hostname").asText()).isEqualTo("fixed");
            machines.put(requestInstall(id), node);
        }
        ObjectNode ruleFacts = Hardware.clone("server-nvme-sata-usb", 100 + nextClone++);
        String fromRule = discover(ruleFacts);
        awaitState(fromRule, "INSPECTED"); // the rule inspects by default, commissions only when told
        assertThat(gw.post("/api/v1/machines/" + fromRule + "/commission", null).status()).isEqualTo(202);
        machines.put(requestInstall(fromRule), ruleFacts);

        ObjectNode explicitFacts = Hardware.clone("server-nvme-sata-usb", 100 + nextClone++);
        String explicit = discover(explicitFacts);
        awaitState(explicit, "INSPECTED");
        RunningGateway.Response commissioned = gw.post("/api/v1/machines/" + explicit + "/commission",
                Map.of("nodeClass", "any", "pool", "bare", "hostname", "explicit-" + nextClone));
        assertThat(commissioned.status()).as(commissioned.toString()).isEqualTo(202);
        machines.put(requestInstall(explicit), explicitFacts);

        machines.forEach((id, facts) -> {
            // the installer's view: a token once the plan is issued, then the plan itself
            String token = Installs.awaitToken(gw, facts);
            RunningGateway.Response plan = Installs.fetchPlan(gw, token, "");
            assertThat(plan.status()).as("%s: %s; machine %s", id, plan, detail(id)).isEqualTo(200);
            assertThat(plan.json().at("/plan/rootDevice/path").asText()).startsWith("/dev/disk/by-");
            JsonNode assignment = plan.json().get("assignment");
            assertThat(assignment.path("failureDomain").isMissingNode() || assignment.get("failureDomain").isNull())
                    .as(assignment.toString()).isTrue();
            assertThat(eventTypes(id)).contains("InstallPlanIssued").doesNotContain("InstallPlanFailed");
        });
    }

    private static void importIntent(JsonNode intent) {
        RunningGateway.Response r = gw.put("/api/v1/cluster/intent", intent.toString());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    private static String discover(ObjectNode facts) {
        RunningGateway.Response r = gw.post("/api/v1/bootstrap/discover", facts);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("machineId").asText();
    }

    private static String requestInstall(String id) {
        RunningGateway.Response r = gw.post("/api/v1/machines/" + id + "/install", null);
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return id;
    }

    private static JsonNode detail(String id) {
        return gw.get("/api/v1/machines/" + id + "?consistent=true").json();
    }

    private static void awaitState(String id, String state) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(detail(id).get("state").asText()).as(detail(id).toString()).isEqualTo(state));
    }

    private static List<String> eventTypes(String id) {
        List<String> types = new ArrayList<>();
        gw.get("/api/v1/machines/" + id + "/events").json().forEach(e -> types.add(e.get("type").asText()));
        return types;
    }

    /** Removes nulls, empty arrays and objects, and the {@code keys} given, at every depth. */
    static JsonNode strip(JsonNode node, Set<String> keys) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                strip(f.getValue(), keys);
                boolean empty = f.getValue().isNull() || (f.getValue().isContainerNode() && f.getValue().isEmpty());
                // servicePolicies is opaque; schemaVersion says which schema the document follows
                if (empty || (keys.contains(f.getKey()) && !f.getKey().equals("schemaVersion"))) {
                    fields.remove();
                }
            }
        } else if (node.isArray()) {
            node.forEach(n -> strip(n, keys));
        }
        return node;
    }
}
