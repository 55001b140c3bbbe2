package com.ultracloud.deployer.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.ultracloud.deployer.gateway.Hardware;
import com.ultracloud.deployer.gateway.RunningGateway;
import com.ultracloud.deployer.gateway.bootstrap.Installs;
import com.ultracloud.deployer.gateway.bootstrap.LabIntent;
import com.ultracloud.deployer.gateway.rollout.ActiveNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every read model rebuilt from the event store equals the one kept live, row by row (issue 12): a fleet with
 * machines in several states, an install plan, a rollout and an intent is built; then each projection is replayed
 * through {@code POST /api/v1/admin/projections/{name}/replay}, its status says when the rebuild is done (no
 * endless {@code replaying}), and its tables are compared with what they held before.
 */
class ProjectionRebuildTest {

    /** Each replayable projection and the tables it owns. */
    static final Map<String, List<String>> TABLES = Map.of(
            "inventory", List.of("inventory_machine", "inventory_state_count", "inventory_rule_count"),
            "install-plans", List.of("install_plan"),
            "rollout", List.of("rollout_deployment", "rollout_machine"),
            "intent", List.of("cluster_intent"));

    @TempDir
    static Path dataDir;
    static RunningGateway gw;

    @BeforeAll
    static void start() {
        gw = LabIntent.start("--deployer.data-dir=" + dataDir);
        ActiveNodes.intentDeploymentsFinished(gw);
        ActiveNodes.Node active = ActiveNodes.install(gw, 951, "rebuild-951");
        ActiveNodes.Node rolled = ActiveNodes.install(gw, 952, "rebuild-952");
        assertThat(gw.post("/api/v1/host-deployments", Map.of("id", "rebuild-1", "selector",
                Map.of("hostnames", List.of(rolled.hostname())), "system", Map.of("storePath", "/nix/store/5555-nixos-system"),
                "batchSize", 1, "drainPolicy", "none")).status()).isEqualTo(201);
        ActiveNodes.awaitState(gw, "rebuild-1", "IN_PROGRESS");
        String m = "/api/v1/machines/" + active.machineId();
        for (String action : List.of("drain", "complete-drain", "retire")) {
            assertThat(gw.post(m + "/" + action, null).status()).as(action).isEqualTo(202);
        }
        Installs.requestInstall(gw, Hardware.clone("server-nvme-sata-usb", 953), "worker", "general", "rebuild-953");
        Installs.discover(gw, Hardware.clone("server-nvme-sata-usb", 954));
        await().atMost(Duration.ofSeconds(30)).until(() -> TABLES.keySet().stream().allMatch(ProjectionRebuildTest::caughtUp));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void everyProjectionRebuiltFromTheStoreEqualsTheLiveOneAndSaysWhenItIsDone() {
        for (Map.Entry<String, List<String>> projection : TABLES.entrySet()) {
            String name = projection.getKey();
            Map<String, List<String>> live = dump(projection.getValue());
            assertThat(live.values().stream().mapToInt(List::size).sum()).as(name + " has rows to rebuild").isPositive();

            RunningGateway.Response replay = gw.post("/api/v1/admin/projections/" + name + "/replay", null);
            assertThat(replay.status()).as(replay.toString()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                JsonNode status = status(name);
                assertThat(status.get("replaying").asBoolean()).as(status.toString()).isFalse();
                assertThat(status.path("lag").isNumber()).as("its segment is claimed: " + status).isTrue();
                assertThat(status.get("lag").asLong()).as(status.toString()).isZero();
            });
            assertThat(dump(projection.getValue())).as(name + " rebuilt").isEqualTo(live);
        }
    }

    private static boolean caughtUp(String name) {
        JsonNode status = status(name);
        return status.path("lag").isNumber() && status.get("lag").asLong() == 0 && !status.get("replaying").asBoolean();
    }

    private static JsonNode status(String name) {
        for (JsonNode p : gw.get("/api/v1/admin/projections").json()) {
            if (p.get("name").asText().equals(name)) {
                return p;
            }
        }
        throw new IllegalStateException("no processor " + name);
    }

    /** Every row of each table, as text, in a stable order. */
    private static Map<String, List<String>> dump(List<String> tables) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        JdbcTemplate jdbc = gw.bean(JdbcTemplate.class);
        for (String table : tables) {
            // a count the live projection brought back to zero keeps its row (no churn); a rebuild never makes one
            String where = table.endsWith("_count") ? " where machines <> 0" : "";
            out.put(table, jdbc.queryForList("select * from " + table + where).stream().map(ProjectionRebuildTest::row)
                    .sorted(Comparator.naturalOrder()).toList());
        }
        return out;
    }

    private static String row(Map<String, Object> columns) {
        StringBuilder b = new StringBuilder();
        columns.forEach((column, value) -> b.append(column).append('=').append(value instanceof byte[] bytes
                ? java.util.HexFormat.of().formatHex(bytes) : value).append("; "));
        return b.toString();
    }
}
