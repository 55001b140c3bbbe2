package com.ultracloud.deployer.gateway.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.ultracloud.deployer.gateway.Hardware;
import com.ultracloud.deployer.gateway.RunningGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deployer.security.enabled=false}: no credential needed, a loud warning at start, no admin
 * token written, operators recorded by address; the JSON-or-Authorization rule and headers stay.
 */
class LabModeTest {

    @TempDir
    static Path dataDir;
    static Path log;
    static RunningGateway gw;

    @BeforeAll
    static void start() {
        log = dataDir.resolve("gateway.log");
        gw = RunningGateway.embedded(dataDir, "--deployer.security.enabled=false", "--logging.file.name=" + log);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void labModeIsAnnouncedLoudlyAndWritesNoAdminToken() throws IOException {
        assertThat(Files.readString(log)).contains("WARN").contains("LAB MODE: deployer.security.enabled=false")
                .contains("needs NO credential");
        assertThat(dataDir.resolve("admin-token")).doesNotExist();
        assertThat(gw.token()).isNull();
    }

    @Test
    void anyoneMayActAndIsRecordedByAddress() {
        String machine = gw.post("/api/v1/bootstrap/discover", Hardware.clone("server-nvme-sata-usb", 85)).json()
                .get("machineId").asText();
        RunningGateway.Response inspected = gw.post("/api/v1/machines/" + machine + "/inspect", null);
        assertThat(inspected.status()).as(inspected.toString()).isEqualTo(202);
        JsonNode last = null;
        for (JsonNode e : gw.get("/api/v1/machines/" + machine + "/events").json()) {
            last = e;
        }
        assertThat(last.get("type").asText()).isEqualTo("MachineInspected");
        assertThat(last.at("/metadata/principal").asText()).isEqualTo("anonymous@127.0.0.1");
        assertThat(gw.get("/api/v1/admin/tokens").status()).isEqualTo(200);
    }

    @Test
    void crossSiteWritesAreStillRefused() {
        RunningGateway.Response r = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/cluster/intent"))
                .header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString("{}")), Map.of());
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.isProblem()).isTrue();
        assertThat(r.header("X-Content-Type-Options")).contains("nosniff");
    }
}
