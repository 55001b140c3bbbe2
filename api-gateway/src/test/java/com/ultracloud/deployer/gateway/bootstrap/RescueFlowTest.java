package com.ultracloud.deployer.gateway.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.gateway.Hardware;
import com.ultracloud.deployer.gateway.RunningGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rescue through discover (issue 11): an installed machine put in rescue boots the installer, which is told
 * "rescue" with the intent's operator SSH keys, writes them, starts sshd and says so ({@code rescue=ready}). The
 * detail shows where to reach it; heartbeats record nothing and are held like a waiting installer's until
 * exit-rescue, after which discover no longer says rescue and the machine is back where it was.
 */
class RescueFlowTest {

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
    void aRescuedMachineGetsTheOperatorsKeysReportsWhereToReachItAndReturnsOnExit() {
        ObjectNode facts = Hardware.clone("server-nvme-sata-usb", 801);
        Installs.Done node = Installs.installFully(gw, facts, "worker", "general", "worker-801");
        String m = "/api/v1/machines/" + node.machineId();
        RunningGateway.Response rescue = gw.post(m + "/rescue", null);
        assertThat(rescue.status()).as(rescue.toString()).isEqualTo(202);
        assertThat(detail(m).at("/rescue/status").asText()).isEqualTo("requested");

        JsonNode booted = discover("");
        assertThat(booted.get("instruction").asText()).isEqualTo("rescue");
        assertThat(texts(booted.get("operatorSshKeys")))
                .containsExactlyElementsOf(LabIntent.clusterState().cluster().operatorSshKeys()).isNotEmpty();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(detail(m).at("/rescue/status").asText()).isEqualTo("booted"));

        JsonNode ready = discover("?rescue=ready");
        assertThat(ready.get("instruction").asText()).isEqualTo("rescue");
        List<String> addresses = texts(facts.at("/network/addresses"));
        assertThat(addresses).isNotEmpty();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode d = detail(m);
            assertThat(d.at("/rescue/status").asText()).isEqualTo("ready");
            assertThat(texts(d.at("/rescue/addresses"))).containsExactlyElementsOf(addresses);
            assertThat(d.at("/rescue/readyAt").isTextual()).isTrue();
        });
        int events = gw.get(m + "/events").json().size();

        // a heartbeat is held while nothing changes, and records nothing
        long t0 = System.nanoTime();
        JsonNode heartbeat = discover("?rescue=ready&wait=700ms");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        assertThat(heartbeat.get("instruction").asText()).isEqualTo("rescue");
        assertThat(gw.get(m + "/events").json()).hasSize(events);

        RunningGateway.Response exit = gw.post(m + "/exit-rescue", null);
        assertThat(exit.status()).as(exit.toString()).isEqualTo(202);
        assertThat(exit.json().get("state").asText()).isEqualTo("INSTALLED");
        JsonNode after = discover("?rescue=ready");
        assertThat(after.get("state").asText()).isEqualTo("INSTALLED");
        assertThat(after.get("instruction").asText()).isEqualTo("wait");
        assertThat(after.has("operatorSshKeys")).isFalse();
        // the rescue installer's way out (it reboots) is not an unexpected installer boot
        assertThat(gw.get(m + "/events").json().findValuesAsText("type")).doesNotContain("UnexpectedInstallerBoot")
                .endsWith("RescueExited");
        assertThat(detail(m).has("rescue")).isFalse();
        // and the inventory read model says the same once it has folded the exit
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode row = gw.get(m).json();
            assertThat(row.get("state").asText()).isEqualTo("INSTALLED");
            assertThat(row.has("rescue")).isFalse();
        });
    }

    @Test
    void anUnknownRescueValueIsRefused() {
        RunningGateway.Response r = gw.post("/api/v1/bootstrap/discover?rescue=maybe", Hardware.clone("server-nvme-sata-usb", 802));
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.isProblem()).isTrue();
        assertThat(r.json().at("/errors/0/field").asText()).isEqualTo("rescue");
    }

    private static JsonNode discover(String query) {
        RunningGateway.Response r = gw.post("/api/v1/bootstrap/discover" + query, Hardware.clone("server-nvme-sata-usb", 801));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    /** The detail folded from the event store (consistent=true): what the machine's events say right now. */
    private static JsonNode detail(String m) {
        return gw.get(m + "?consistent=true").json();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
