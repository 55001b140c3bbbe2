package com.ultracloud.deployer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A crash strands no machine: the gateway (postgres profile, its own database) is killed with
 * {@code kill -9} in the middle of a lab install of 200 machines (50 at once) and started again on the same port;
 * the installers ride it out with their backoff, and every machine ends INSTALLED, each exactly once.
 * What could be lost in the kill: a request in flight (an operator action, a discover, a progress
 * report) and whatever the processors had not committed; enrollment and the lab's operator are
 * level-triggered, so both take a lost step again when they next see the machine waiting.
 */
class GatewayCrashIT {

    private static final int MACHINES = 200;

    @TempDir
    Path tmp;

    @Test
    void aGatewayKilledMidInstallAndRestartedLeavesEveryMachineInstalled() throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create("e2e_crash")) {
            run(db.url());
        }
    }

    private void run(String jdbcUrl) throws Exception {
        int port = GatewayProcess.freePort();
        Path data = tmp.resolve("gateway");
        String[] args = {"--spring.profiles.active=postgres", "--spring.datasource.url=" + jdbcUrl,
                "--deployer.enrollment.reconcile-after=3s", "--deployer.enrollment.sweep-interval=5s"};
        GatewayProcess gateway = GatewayProcess.start(port, data, args);
        InstallerProcess lab;
        try {
            gateway.importLabIntent();
            lab = InstallerProcess.start(tmp, "lab", "--deployer", gateway.url(), "--operator-install",
                    "--join-secret-file", gateway.joinSecretFile().toString(),
                "--operator-token-file", gateway.adminTokenFile().toString(), "--machines", String.valueOf(MACHINES), "--concurrency", "50",
                    "--work-dir", tmp.resolve("lab").toString(), "--timeout", "600");
            // kill once the fleet is under way, judged by the lab's own output: the inventory (a read model) lags
            // under load, and a kill timed on it once came after every machine had already installed
            Instant until = Instant.now().plusSeconds(90);
            while (lab.installRequests() < 3 && lab.isAlive() && Instant.now().isBefore(until)) {
                Thread.sleep(100);
            }
            assertThat(lab.installRequests()).as("install requests before the kill").isGreaterThanOrEqualTo(3);
            assertThat(lab.out()).as("machines still on their way at the kill").doesNotContain("machines, " + MACHINES + " INSTALLED");
        } catch (Exception | AssertionError e) {
            gateway.close();
            throw e;
        }
        gateway.kill();
        Thread.sleep(2000);

        try (GatewayProcess restarted = GatewayProcess.start(port, data, args)) {
            InstallerProcess.Result result = lab.await(660);

            assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
            assertThat(result.out()).contains(MACHINES + " machines, " + MACHINES + " INSTALLED")
                    .contains("cannot reach the deployer")
                    .as("no 5xx: while it was down the gateway did not answer; once up, it answered properly")
                    .doesNotContainPattern("answered 5\\d\\d");
            assertThat(java.nio.file.Files.readString(restarted.log())).doesNotContain("unexpected error");
            // the list is a read model that catches up after the restart: wait for every machine to be listed
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(restarted.get("/api/v1/machines?size=1").get("total").asInt()).isEqualTo(MACHINES));
            Map<String, String> states = new TreeMap<>();
            List<String> twice = new ArrayList<>();
            for (JsonNode m : restarted.get("/api/v1/machines?size=500").get("items")) {
                String id = m.get("machineId").asText();
                states.put(id, restarted.get("/api/v1/machines/" + id + "?consistent=true").get("state").asText());
                if (restarted.eventTypes(id).stream().filter("InstallSucceeded"::equals).count() != 1) {
                    twice.add(id);
                }
            }
            assertThat(states).hasSize(MACHINES);
            assertThat(states.values()).as(states.toString()).containsOnly("INSTALLED");
            assertThat(twice).as("machines without exactly one InstallSucceeded").isEmpty();
            // every install saga resumed and ended, and with it its deadline: none is left open or pending
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(count(jdbcUrl, "select count(*) from saga_entry")).as("open sagas").isZero();
                assertThat(count(jdbcUrl, "select count(*) from scheduled_tasks"))
                        .as("pending deadlines").isZero();
            });
        }
    }

    private static long count(String jdbcUrl, String sql) throws Exception {
        try (var c = java.sql.DriverManager.getConnection(jdbcUrl, "postgres", "");
             var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
