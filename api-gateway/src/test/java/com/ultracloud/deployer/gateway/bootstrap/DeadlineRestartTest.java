package com.ultracloud.deployer.gateway.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.gateway.PostgresDatabase;
import com.ultracloud.deployer.gateway.RunningGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Install deadlines survive a restart: the install-pending deadline is scheduled (in db-scheduler's
 * table), the gateway stops before it is due, a new gateway on the same store fires it → FAILED with
 * InstallTimedOut. On the embedded H2 file and on PostgreSQL.
 */
class DeadlineRestartTest {

    static final String[] SHORT_DEADLINE = {"--deployer.install.pending-timeout=4s", "--db-scheduler.polling-interval=1s"};

    @TempDir
    Path dataDir;

    @Test
    void aPendingDeadlineFiresAfterARestartOnTheEmbeddedStore() {
        String[] args = concat(new String[]{"--deployer.data-dir=" + dataDir}, SHORT_DEADLINE);
        scenario(args);
    }

    @Test
    void aPendingDeadlineFiresAfterARestartOnPostgres() {
        try (PostgresDatabase db = PostgresDatabase.create("deadline_restart")) {
            scenario(concat(concat(db.gatewayArgs(), new String[]{"--deployer.data-dir=" + dataDir}), SHORT_DEADLINE));
        }
    }

    /**
     * A replica that dies while it executes a deadline (kill -9 after db-scheduler picked the row) leaves the row
     * picked, with a heartbeat that no longer moves. Another replica takes it over once the heartbeat is
     * {@code missed-heartbeats-limit x heartbeat-interval} old (application.yml: 10 s x 6; db-scheduler's defaults,
     * 5 min x 6, would hold it for 30 minutes) and fires it. The dead replica is simulated on the row: a deadline due
     * in 10 minutes is marked picked by another scheduler, due now, its last heartbeat 5 minutes ago.
     */
    @Test
    void aDeadlineLeftPickedByAReplicaThatDiedFiresInTheLiveOne() {
        try (PostgresDatabase db = PostgresDatabase.create("deadline_dead_replica")) {
            String[] args = concat(db.gatewayArgs(), new String[]{"--deployer.data-dir=" + dataDir,
                    "--deployer.install.pending-timeout=10m", "--db-scheduler.polling-interval=1s"});
            try (RunningGateway gateway = LabIntent.start(args)) {
                String id = Installs.requestInstall(gateway, LabIntent.hardware("worker-1"), "worker", "general", "worker-1");
                JdbcTemplate jdbc = gateway.bean(JdbcTemplate.class);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                        "select count(*) from scheduled_tasks", Integer.class)).isEqualTo(1));
                assertThat(jdbc.update("update scheduled_tasks set picked = true, picked_by = 'replica-that-died', "
                        + "execution_time = now() - interval '5 minutes', last_heartbeat = now() - interval '5 minutes', "
                        + "version = version + 1")).isEqualTo(1);
                Instant marked = Instant.now();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                        assertThat(gateway.get("/api/v1/machines/" + id + "?consistent=true").json().get("state").asText())
                                .isEqualTo("FAILED"));
                List<String> types = new ArrayList<>();
                gateway.get("/api/v1/machines/" + id + "/events").json().forEach(e -> types.add(e.get("type").asText()));
                assertThat(types).endsWith("InstallTimedOut");
                assertThat(jdbc.queryForObject("select count(*) from scheduled_tasks", Integer.class)).isZero();
                System.out.printf("a deadline left picked by a dead replica fired %.1f s after it was marked%n",
                        Duration.between(marked, Instant.now()).toMillis() / 1000.0);
            }
        }
    }

    private static void scenario(String[] args) {
        ObjectNode facts = LabIntent.hardware("worker-1");
        String id;
        Instant stopped;
        try (RunningGateway first = LabIntent.start(args)) {
            id = Installs.requestInstall(first, facts, "worker", "general", "worker-1");
            JdbcTemplate jdbc = first.bean(JdbcTemplate.class);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                    "select count(*) from scheduled_tasks", Integer.class)).isEqualTo(1));
            assertThat(first.get("/api/v1/machines/" + id + "?consistent=true").json().get("state").asText())
                    .isEqualTo("INSTALL_PENDING");
            stopped = Instant.now();
        }
        Instant restarted = Instant.now();
        try (RunningGateway second = LabIntent.start(args)) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    assertThat(second.get("/api/v1/machines/" + id + "?consistent=true").json().get("state").asText())
                            .isEqualTo("FAILED"));
            JsonNode events = second.get("/api/v1/machines/" + id + "/events").json();
            List<String> types = new ArrayList<>();
            events.forEach(e -> types.add(e.get("type").asText()));
            assertThat(types).endsWith("InstallTimedOut");
            JsonNode timedOut = events.get(events.size() - 1);
            assertThat(timedOut.get("payload").get("phase").asText()).isEqualTo("INSTALL_PENDING");
            // fired by the second gateway: after the first one had stopped
            assertThat(Instant.parse(timedOut.get("timestamp").asText())).isAfter(stopped).isAfterOrEqualTo(restarted.minusMillis(1));
            // the token is revoked with the end of the install
            JdbcTemplate jdbc = second.bean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("select revoked from sealed_secret where machine_id = ?", Boolean.class, id)).isTrue();
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
