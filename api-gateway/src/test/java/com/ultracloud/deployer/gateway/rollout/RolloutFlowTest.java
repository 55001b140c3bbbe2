package com.ultracloud.deployer.gateway.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.ultracloud.deployer.gateway.RunningGateway;
import com.ultracloud.deployer.gateway.bootstrap.LabIntent;
import com.ultracloud.deployer.projection.inventory.InventoryProjection;
import com.ultracloud.deployer.projection.inventory.MachineDetail;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The rollout loop end to end on the embedded default (H2): {@link RolloutScenario}; then both read models it
 * feeds are rebuilt from the event store by the admin replay and come out the same, and the rollout saga's
 * processor refuses a replay.
 */
class RolloutFlowTest {

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
    void aBatchedRolloutSucceedsOnHealthyReportsAndTheNextStopsAtItsThresholdLeavingTheRestUntouched() throws Exception {
        new RolloutScenario(gw, 810).run();

        JsonNode deployments = gw.get("/api/v1/host-deployments").json();
        List<MachineDetail> inventory = gw.bean(InventoryProjection.class).snapshot();
        for (String processor : List.of("rollout", "inventory")) {
            RunningGateway.Response r = gw.post("/api/v1/admin/projections/" + processor + "/replay", null);
            assertThat(r.status()).as(r.toString()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(gw.get("/api/v1/host-deployments").json()).isEqualTo(deployments);
            assertThat(gw.bean(InventoryProjection.class).snapshot()).isEqualTo(inventory);
        });
        for (JsonNode d : deployments.get("items")) {
            String id = d.get("deploymentId").asText();
            assertThat(gw.get("/api/v1/host-deployments/" + id).json().get("version").asLong()).isEqualTo(d.get("version").asLong());
        }

        RunningGateway.Response saga = gw.post("/api/v1/admin/projections/RolloutSagaProcessor/replay", null);
        assertThat(saga.status()).as(saga.toString()).isEqualTo(409);
        assertThat(saga.json().get("type").asText()).isEqualTo("urn:ultracloud:problem:replay-not-supported");
    }
}
