package com.ultracloud.deployer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.gateway.bootstrap.LabIntent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Enrollment is level-triggered: a machine whose step was lost (here: its events were handled while
 * automation was off, so the policy's token moved past them without a command, exactly as when a
 * command dies with the process) still gets that step, when its installer re-discovers and when the
 * periodic sweep finds it. Both workers match the lab rule that inspects, commissions and installs.
 */
class EnrollmentReconcilerTest {

    @TempDir
    Path dataDir;

    @Test
    void aMachineWhoseStepWasLostIsMovedOnByItsNextDiscoverAndByTheSweep() {
        ObjectNode worker1 = LabIntent.hardware("worker-1");
        ObjectNode worker2 = LabIntent.hardware("worker-2");
        String id1;
        String id2;
        try (RunningGateway gw = RunningGateway.embedded(dataDir, "--deployer.enrollment.automation=false")) {
            LabIntent.importInto(gw);
            id1 = discover(gw, worker1).get("machineId").asText();
            id2 = discover(gw, worker2).get("machineId").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> policyCaughtUp(gw));
            assertThat(state(gw, id1)).isEqualTo("DISCOVERED");
            assertThat(state(gw, id2)).isEqualTo("DISCOVERED");
        }

        // automation on, no sweep: only re-discovering can move them
        try (RunningGateway gw = RunningGateway.embedded(dataDir, "--deployer.enrollment.reconcile-after=1s",
                "--deployer.enrollment.sweep-interval=1h")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> policyCaughtUp(gw));
            assertThat(discover(gw, worker1).get("state").asText()).isEqualTo("DISCOVERED"); // seen: waits reconcile-after
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                discover(gw, worker1); // as the installer does, every pollAfterSeconds
                assertThat(state(gw, id1)).isEqualTo("INSTALL_PENDING");
            });
            assertThat(state(gw, id2)).as("never re-discovered, no sweep").isEqualTo("DISCOVERED");
            assertThat(principals(gw, id1, "MachineInspected")).containsExactly("system:enrollment-policy");
        }

        // the sweep reaches the machine whose installer went quiet
        try (RunningGateway gw = RunningGateway.embedded(dataDir, "--deployer.enrollment.reconcile-after=1s",
                "--deployer.enrollment.sweep-interval=1s")) {
            // the install saga issues the plan asynchronously after InstallRequested: wait for it too
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                assertThat(state(gw, id2)).isEqualTo("INSTALL_PENDING");
                assertThat(eventTypes(gw, id2)).containsSubsequence("MachineDiscovered", "MachineInspected",
                        "MachineCommissioned", "InstallRequested", "InstallPlanIssued");
            });
            List<String> types = eventTypes(gw, id2);
            assertThat(types.stream().filter("MachineInspected"::equals).count()).as(types.toString()).isEqualTo(1);
        }
    }

    private static JsonNode discover(RunningGateway gw, ObjectNode facts) {
        RunningGateway.Response r = gw.post("/api/v1/bootstrap/discover", facts);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static String state(RunningGateway gw, String id) {
        return gw.get("/api/v1/machines/" + id + "?consistent=true").json().get("state").asText();
    }

    private static boolean policyCaughtUp(RunningGateway gw) {
        for (JsonNode p : gw.get("/api/v1/admin/projections").json()) {
            if (p.get("name").asText().equals("enrollment-policy")) {
                return p.path("lag").isNumber() && p.get("lag").asLong() == 0;
            }
        }
        return false;
    }

    private static List<String> eventTypes(RunningGateway gw, String id) {
        List<String> types = new ArrayList<>();
        gw.get("/api/v1/machines/" + id + "/events").json().forEach(e -> types.add(e.get("type").asText()));
        return types;
    }

    private static List<String> principals(RunningGateway gw, String id, String type) {
        List<String> out = new ArrayList<>();
        gw.get("/api/v1/machines/" + id + "/events").json().forEach(e -> {
            if (type.equals(e.get("type").asText())) {
                out.add(e.get("metadata").get("principal").asText());
            }
        });
        return out;
    }
}
