package com.ultracloud.deployer.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.ultracloud.deployer.gateway.Hardware;
import com.ultracloud.deployer.gateway.RunningGateway;
import com.ultracloud.deployer.gateway.bootstrap.Installs;
import com.ultracloud.deployer.gateway.bootstrap.LabIntent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fleet as of a time (issue 12): {@code GET /api/v1/machines?at=} folds the store up to a position or an instant.
 * At the head it equals the live inventory; earlier, it is the inventory as it was then.
 */
class InventoryAsOfTest {

    @TempDir
    static Path dataDir;
    static RunningGateway gw;
    static String first;
    static long firstDiscovered;
    static Instant beforeTheRest;

    @BeforeAll
    static void start() throws Exception {
        gw = LabIntent.start("--deployer.data-dir=" + dataDir);
        first = Installs.discover(gw, Hardware.clone("server-nvme-sata-usb", 981));
        firstDiscovered = head();
        Thread.sleep(20); // the next events' timestamps lie after this instant
        beforeTheRest = Instant.now();
        Thread.sleep(20);
        Installs.requestInstall(gw, Hardware.clone("server-nvme-sata-usb", 982), "worker", "general", "asof-982");
        Installs.discover(gw, Hardware.clone("server-nvme-sata-usb", 983));
        assertThat(gw.post("/api/v1/machines/" + first + "/inspect", null).status()).isEqualTo(202);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void atTheHeadThePastInventoryIsTheLiveOne() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            long head = head();
            JsonNode live = gw.get("/api/v1/machines?size=500").json();
            JsonNode past = gw.get("/api/v1/machines?size=500&at=" + head).json();
            assertThat(head()).as("nothing appended meanwhile").isEqualTo(head);
            assertThat(past.get("items")).isEqualTo(live.get("items"));
            assertThat(past.get("total")).isEqualTo(live.get("total"));
        });
        JsonNode discovered = gw.get("/api/v1/machines?state=DISCOVERED&at=" + head()).json();
        assertThat(discovered.get("items").findValuesAsText("state")).containsOnly("DISCOVERED").hasSize(1);
    }

    @Test
    void earlierItIsTheInventoryAsItWasThen() {
        for (String at : new String[] {String.valueOf(firstDiscovered), beforeTheRest.toString()}) {
            JsonNode then = gw.get("/api/v1/machines?at=" + at).json();
            assertThat(then.get("total").asLong()).as(at).isEqualTo(1);
            JsonNode only = then.get("items").get(0);
            assertThat(only.get("machineId").asText()).isEqualTo(first);
            assertThat(only.get("state").asText()).isEqualTo("DISCOVERED");
            assertThat(only.get("version").asLong()).isZero();
        }
        assertThat(gw.get("/api/v1/machines?at=0").json().get("total").asLong()).as("before any machine").isZero();
    }

    @Test
    void aBadAtOrAnUnsupportedCombinationIsA400NamingTheField() {
        assertThat(gw.get("/api/v1/machines?at=yesterday").json().at("/errors/0/field").asText()).isEqualTo("at");
        assertThat(gw.get("/api/v1/machines?at=3&q=dell&sort=state").json().findValuesAsText("field"))
                .containsExactlyInAnyOrder("q", "sort");
    }

    private static long head() {
        long last = -1;
        for (JsonNode e : gw.get("/api/v1/events?limit=10000").json().get("events")) {
            last = e.get("position").asLong();
        }
        return last;
    }
}
