package com.ultracloud.deployer.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.gateway.bootstrap.LabIntent;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14, "replicas": with two segments per per-machine group, two replicas on one PostgreSQL split each group
 * (one segment each, by Axon's rebalancing against the replica roster; ADR 0009), and when one stops, the other
 * takes its segments over. Meanwhile machines commissioned on both replicas all get their install plans: the split
 * groups (enrollment policy, install saga, install plans) do their work wherever their segment is.
 */
class ReplicaSegmentsTest {

    private static final List<String> SPLIT = List.of("install-plans", "enrollment-policy", "InstallSagaProcessor",
            "DirectiveSagaProcessor");

    @Test
    void twoReplicasSplitEachGroupAndOneTakesAllWhenTheOtherStops() throws Exception {
        try (PostgresDatabase db = PostgresDatabase.create("deployer_segments")) {
            List<String> args = new ArrayList<>(List.of(db.gatewayArgs()));
            args.addAll(List.of("--deployer.processors.segments=2", "--deployer.replicas.heartbeat=1s",
                    "--deployer.enrollment.automation=false"));
            RunningGateway a = RunningGateway.start(args.toArray(String[]::new));
            try {
                LabIntent.importInto(a);
                RunningGateway b = RunningGateway.start(args.toArray(String[]::new));
                try {
                    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                        Map<String, List<String>> owners = owners(db);
                        for (String group : SPLIT) {
                            assertThat(owners.get(group)).as(group + " " + owners).hasSize(2).doesNotContainNull()
                                    .doesNotHaveDuplicates();
                        }
                        for (String single : List.of("inventory", "rollout", "RolloutSagaProcessor", "intent")) {
                            assertThat(owners.get(single)).as(single + " keeps one segment " + owners).hasSize(1);
                        }
                    });
                    installOnBoth(a, b);
                } finally {
                    b.close();
                }
                // b left (its row and its claims): a holds every segment again
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    Map<String, List<String>> owners = owners(db);
                    for (String group : SPLIT) {
                        assertThat(owners.get(group)).as(group + " " + owners).hasSize(2).doesNotContainNull()
                                .containsOnly(owners.get(group).get(0));
                    }
                });
                String id = discover(a, 7399);
                commissionAndInstall(a, id, "seg-after");
                awaitPlanned(a, id);
            } finally {
                a.close();
            }
        }
    }

    /** Machines commissioned and installed half on each replica: each gets its plan, whichever replica holds its segment. */
    private static void installOnBoth(RunningGateway a, RunningGateway b) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            RunningGateway r = i % 2 == 0 ? a : b;
            String id = discover(r, 7300 + i);
            commissionAndInstall(r, id, "seg-" + i);
            ids.add(id);
        }
        for (String id : ids) {
            awaitPlanned(a, id);
        }
    }

    /** The lab's worker-1 box under another identity (SMBIOS UUID, serial, MACs derived from {@code n}). */
    private static String discover(RunningGateway r, int n) {
        ObjectNode facts = LabIntent.hardware("worker-1");
        ((ObjectNode) facts.get("identity")).put("smbiosUuid", String.format("5e5e5e5e-0000-1000-8000-%012x", n))
                .put("systemSerial", "SEG" + n);
        ArrayNode nics = (ArrayNode) facts.get("nics");
        for (int i = 0; i < nics.size(); i++) {
            String mac = String.format("02:5e:%02x:%02x:%02x:%02x", i, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
            ((ObjectNode) nics.get(i)).put("mac", mac).put("permanentMac", mac);
        }
        RunningGateway.Response d = r.post("/api/v1/bootstrap/discover", facts);
        assertThat(d.status()).as(d.toString()).isLessThan(300);
        return d.json().get("machineId").asText();
    }

    private static void commissionAndInstall(RunningGateway r, String id, String hostname) {
        String m = "/api/v1/machines/" + id;
        RunningGateway.Response inspected = r.post(m + "/inspect", null);
        assertThat(inspected.status()).as(inspected.toString()).isEqualTo(202);
        RunningGateway.Response c = r.post(m + "/commission", Map.of("nodeClass", "worker", "pool", "general",
                "hostname", hostname));
        assertThat(c.status()).as(c.toString()).isEqualTo(202);
        RunningGateway.Response i = r.post(m + "/install", null);
        assertThat(i.status()).as(i.toString()).isEqualTo(202);
    }

    /** The install saga issued the plan (an event of the machine) and the install-plans read model serves it. */
    private static void awaitPlanned(RunningGateway r, String id) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            RunningGateway.Response events = r.get("/api/v1/machines/" + id + "/events");
            assertThat(events.json().toString()).as(id).contains("InstallPlanIssued");
        });
    }

    /** Each processing group's segments, in order, with the replica that holds each (null: unclaimed). */
    private static Map<String, List<String>> owners(PostgresDatabase db) throws Exception {
        Map<String, List<String>> owners = new TreeMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select processor_name, owner from token_entry order by processor_name, segment")) {
            while (rs.next()) {
                owners.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        return new HashMap<>(owners);
    }
}
