package com.ultracloud.deployer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.ultracloud.deployer.gateway.admin.ProjectionAdmin;
import com.ultracloud.deployer.projection.inventory.InventoryListing;
import com.ultracloud.deployer.projection.inventory.InventoryProjection;
import com.ultracloud.deployer.projection.inventory.MachineDetail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drive machines through several transitions, stop the application, start a new one on the same
 * store, and find machines, states and full histories intact; then rebuild the inventory from the
 * event store and compare it with the live one. Shared by the H2 and the PostgreSQL test.
 */
final class DurabilityScenario {

    private DurabilityScenario() {
    }

    static void run(Supplier<RunningGateway> startOnSameStore) {
        List<String> ids = new ArrayList<>();
        Map<String, JsonNode> historiesBefore = new java.util.HashMap<>();
        Map<String, String> statesBefore = new java.util.HashMap<>();
        try (RunningGateway gw = startOnSameStore.get()) {
            for (int n = 1; n <= 3; n++) {
                ids.add(gw.post("/api/v1/bootstrap/discover", Hardware.clone("server-nvme-sata-usb", 900 + n)).json()
                        .get("machineId").asText());
            }
            String a = "/api/v1/machines/" + ids.get(0);
            String b = "/api/v1/machines/" + ids.get(1);
            accepted(gw.post(a + "/inspect", null));
            accepted(gw.post(a + "/commission", Map.of("nodeClass", "worker", "pool", "rack-a", "hostname", "worker-1")));
            accepted(gw.post(a + "/install", null));
            accepted(gw.post(b + "/inspect", null));
            accepted(gw.post(b + "/mark-failed", Map.of("reason", "fan failure")));
            accepted(gw.post("/api/v1/machines/" + ids.get(2) + "/retire", null));
            for (String id : ids) {
                historiesBefore.put(id, gw.get("/api/v1/machines/" + id + "/events").json());
                statesBefore.put(id, gw.get("/api/v1/machines/" + id + "?consistent=true").json().get("state").asText());
            }
            awaitCaughtUp(gw);
        }
        assertThat(statesBefore).containsEntry(ids.get(0), "INSTALL_PENDING").containsEntry(ids.get(1), "FAILED")
                .containsEntry(ids.get(2), "RETIRED");

        try (RunningGateway gw = startOnSameStore.get()) {
            for (String id : ids) {
                assertThat(gw.get("/api/v1/machines/" + id + "/events").json()).isEqualTo(historiesBefore.get(id));
                // the inventory at the version the history ends with: what the restarted read side must have folded
                JsonNode detail = gw.get("/api/v1/machines/" + id + "?minVersion=" + (historiesBefore.get(id).size() - 1)).json();
                assertThat(detail.get("state").asText()).isEqualTo(statesBefore.get(id));
            }
            // the write side also still works on the restored aggregate
            accepted(gw.post("/api/v1/machines/" + ids.get(1) + "/recover", null));
            assertThat(gw.get("/api/v1/machines/" + ids.get(1) + "?consistent=true").json().get("state").asText())
                    .isEqualTo("INSPECTED");
            awaitCaughtUp(gw);

            InventoryProjection inventory = gw.bean(InventoryProjection.class);
            InventoryListing listing = gw.bean(InventoryListing.class);
            List<MachineDetail> live = inventory.snapshot();
            Map<String, Long> liveCounts = listing.countsKept();
            assertThat(live).hasSize(3);
            assertThat(liveCounts).isEqualTo(listing.countsOfRows());
            assertThat(gw.post("/api/v1/admin/projections/inventory/replay", null).status()).isEqualTo(202);
            awaitCaughtUp(gw);
            assertThat(inventory.snapshot()).isEqualTo(live);
            assertThat(listing.countsKept()).as("the counts per state, class and pool, rebuilt").isEqualTo(liveCounts);
        }
    }

    static void awaitCaughtUp(RunningGateway gw) {
        ProjectionAdmin admin = gw.bean(ProjectionAdmin.class);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> admin.status("inventory").caughtUp());
    }

    private static void accepted(RunningGateway.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
    }
}
