package com.ultracloud.deployer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.ultracloud.deployer.gateway.bootstrap.Installs;
import com.ultracloud.deployer.gateway.bootstrap.LabIntent;
import com.ultracloud.deployer.machine.lifecycle.Lifecycle;
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
 * What the web console stands on (issue 13): the console's files at {@code /} under a strict content security policy
 * and without a token, who a token is ({@code /api/v1/session}), the lifecycle table as data ({@code /api/v1/lifecycle})
 * and machines per state ({@code /api/v1/machines/counts}) kept in step with the inventory. ConsoleIT drives the
 * console itself in a browser.
 */
class ConsoleSupportTest {

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
    void theConsoleIsServedAtTheRootWithoutATokenAndMayOnlyLoadItsOwnFiles() {
        for (String path : List.of("/", "/console/app.js", "/console/console.css")) {
            RunningGateway.Response r = gw.anonymous().get(path);
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.header("Content-Security-Policy")).as(path).hasValueSatisfying(csp -> assertThat(csp)
                    .contains("default-src 'self'").contains("script-src 'self'").contains("frame-ancestors 'none'"));
        }
        RunningGateway.Response index = gw.anonymous().get("/");
        assertThat(index.contentType()).startsWith("text/html");
        assertThat(index.body()).contains("<script type=\"module\" src=\"/console/app.js\"></script>");
        assertThat(gw.anonymous().get("/console/app.js").contentType()).contains("javascript");
        // the API itself stays closed to the console's visitors until they sign in
        assertThat(gw.anonymous().get("/api/v1/machines").status()).isEqualTo(401);
        assertThat(gw.get("/api/v1/machines").header("Content-Security-Policy")).isEmpty();
    }

    @Test
    void theSessionSaysWhoTheTokenIsAndItsRole() {
        JsonNode created = gw.post("/api/v1/admin/tokens", Map.of("name", "console-viewer", "role", "viewer")).json();
        JsonNode viewer = gw.as(created.get("token").asText()).get("/api/v1/session").json();
        assertThat(viewer.get("principal").asText()).isEqualTo("token:console-viewer");
        assertThat(viewer.get("role").asText()).isEqualTo("viewer");
        assertThat(viewer.get("securityEnabled").asBoolean()).isTrue();
        assertThat(gw.get("/api/v1/session").json().get("role").asText()).isEqualTo("admin");
        RunningGateway.Response none = gw.anonymous().get("/api/v1/session");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.isProblem()).isTrue();
        assertThat(gw.as("ucd_unknown").get("/api/v1/session").status()).isEqualTo(401);
    }

    @Test
    void theLifecycleIsTheAggregatesTransitionTable() {
        JsonNode table = gw.get("/api/v1/lifecycle").json();
        assertThat(table.get("transitions")).hasSize(Lifecycle.TABLE.size());
        assertThat(table.get("states")).hasSize(12);
        List<String> fromActive = new ArrayList<>();
        for (JsonNode t : table.get("transitions")) {
            if ("ACTIVE".equals(t.path("from").asText()) && t.hasNonNull("operatorAction")) {
                fromActive.add(t.get("operatorAction").asText() + "→" + t.get("to"));
            }
        }
        assertThat(fromActive).contains("drain→[\"DRAINING\"]", "rescue→[\"RESCUE\"]", "mark-failed→[\"FAILED\"]")
                .noneMatch(a -> a.startsWith("inspect") || a.startsWith("retire")); // retire only once drained
        JsonNode discover = table.get("transitions").get(0);
        assertThat(discover.has("from")).as("the row that creates a machine has no from").isFalse();
        assertThat(discover.get("action").asText()).isEqualTo("discover");
        assertThat(discover.has("operatorAction")).as("installers discover, operators do not").isFalse();
    }

    @Test
    void theCountsPerStateFollowTheInventory() {
        String a = Installs.discover(gw, Hardware.clone("server-nvme-sata-usb", 7_201));
        String b = Installs.discover(gw, Hardware.clone("server-nvme-sata-usb", 7_202));
        RunningGateway.Response inspected = gw.post("/api/v1/machines/" + b + "/inspect", null);
        JsonNode commissioned = gw.post("/api/v1/machines/" + b + "/commission",
                Map.of("nodeClass", "worker", "pool", "general", "hostname", "counted-1")).json();
        assertThat(inspected.status()).isEqualTo(202);
        assertThat(commissioned.get("state").asText()).as(commissioned.toString()).isEqualTo("COMMISSIONED");
        // once the inventory has folded the commission, the counts (kept in the same transaction) include it
        assertThat(gw.get("/api/v1/machines?machineId=" + b + "&minVersion=" + commissioned.get("version")).status())
                .isEqualTo(200);
        JsonNode all = gw.get("/api/v1/machines/counts").json();
        assertThat(all.get("byState")).hasSize(12);
        assertThat(all.at("/byState/DISCOVERED").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(all.at("/byState/COMMISSIONED").asLong()).isGreaterThanOrEqualTo(1);
        long sum = 0;
        for (JsonNode n : all.get("byState")) {
            sum += n.asLong();
        }
        assertThat(all.get("total").asLong()).isEqualTo(sum).isEqualTo(gw.get("/api/v1/machines").json().get("total").asLong());
        JsonNode pool = gw.get("/api/v1/machines/counts?pool=general").json();
        assertThat(pool.get("total").asLong()).isEqualTo(1);
        assertThat(pool.at("/byState/COMMISSIONED").asLong()).isEqualTo(1);
        assertThat(gw.get("/api/v1/machines/counts?pool=general&nodeClass=storage").json().get("total").asLong()).isZero();
        assertThat(gw.get("/api/v1/machines/" + a).json().get("state").asText()).isEqualTo("DISCOVERED");
    }
}
