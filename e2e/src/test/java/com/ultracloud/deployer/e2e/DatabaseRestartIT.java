package com.ultracloud.deployer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The database goes away in the middle of a lab install and comes back: the gateway (postgres profile) runs on a
 * PostgreSQL cluster of the test's own, which is stopped ({@code pg_ctlcluster stop}, fast mode: open sessions are
 * ended) for {@value #OUTAGE_SECONDS} s and started again while 30 machines install. Requests that need the database
 * in that time answer 503 with {@code Retry-After}, never 500; the installers back off by it, and the run completes
 * with every machine INSTALLED exactly once and no operator action. A request waits for a connection up to
 * {@code spring.datasource.hikari.connection-timeout} (10 s by default; 5 s here, so that the outage is seen).
 */
class DatabaseRestartIT {

    private static final int MACHINES = 30;
    private static final int OUTAGE_SECONDS = 15;

    @TempDir
    Path tmp;

    @Test
    void aDatabaseRestartMidInstallIsRiddenOutWith503AndRetryAfter() throws Exception {
        assumeThat(PrivatePostgres.available()).as("needs root and pg_createcluster (CI has both)").isTrue();
        try (PrivatePostgres pg = PrivatePostgres.create("uc_restart")) {
            run(pg, pg.createDatabase("deployer"));
        }
    }

    private void run(PrivatePostgres pg, String jdbcUrl) throws Exception {
        Path data = tmp.resolve("gateway");
        try (GatewayProcess gateway = GatewayProcess.start(GatewayProcess.freePort(), data,
                "--spring.profiles.active=postgres", "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.hikari.connection-timeout=5000",
                "--deployer.enrollment.reconcile-after=3s", "--deployer.enrollment.sweep-interval=5s")) {
            gateway.importLabIntent();
            InstallerProcess lab = InstallerProcess.start(tmp, "lab", "--deployer", gateway.url(), "--operator-install",
                    "--join-secret-file", gateway.joinSecretFile().toString(),
                    "--operator-token-file", gateway.adminTokenFile().toString(), "--machines", String.valueOf(MACHINES),
                    "--concurrency", String.valueOf(MACHINES), "--work-dir", tmp.resolve("lab").toString(),
                    "--timeout", "480");
            try {
                Instant until = Instant.now().plusSeconds(90);
                while (lab.installRequests() < 3 && lab.isAlive() && Instant.now().isBefore(until)) {
                    Thread.sleep(100);
                }
                assertThat(lab.installRequests()).as("install requests before the outage").isGreaterThanOrEqualTo(3);
                pg.stop();
                Thread.sleep(OUTAGE_SECONDS * 1000L);
                // while the database is down the gateway itself answers, with a problem that says when to come back
                JsonNode problem = gateway.getProblem("/api/v1/machines?size=1", 503);
                assertThat(problem.path("type").asText()).isEqualTo("urn:ultracloud:problem:database-unavailable");
                assertThat(gateway.status("/actuator/health")).as("health while the database is down").isEqualTo(503);
                pg.start();
            } catch (Exception | AssertionError e) {
                lab.stop();
                throw e;
            }

            InstallerProcess.Result result = lab.await(540);
            assertThat(unexpectedErrors(Files.readString(gateway.log()))).as("unexpected errors in the gateway log").isEmpty();
            assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
            assertThat(result.out()).contains(MACHINES + " machines, " + MACHINES + " INSTALLED")
                    .contains("answered 503: the deployer cannot reach its database")
                    .doesNotContain("answered 500");

            await().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                    assertThat(gateway.get("/api/v1/machines?size=1").get("total").asInt()).isEqualTo(MACHINES));
            Map<String, String> states = new TreeMap<>();
            for (JsonNode m : gateway.get("/api/v1/machines?size=500").get("items")) {
                String id = m.get("machineId").asText();
                states.put(id, gateway.get("/api/v1/machines/" + id + "?consistent=true").get("state").asText());
                assertThat(gateway.eventTypes(id).stream().filter("InstallSucceeded"::equals).count())
                        .as("InstallSucceeded events of " + id).isEqualTo(1);
            }
            assertThat(states).hasSize(MACHINES);
            assertThat(states.values()).as(states.toString()).containsOnly("INSTALLED");
        }
    }

    /** Each "unexpected error" of the log as its request, exception and causes (the frames left out). */
    private static List<String> unexpectedErrors(String log) {
        List<String> errors = new ArrayList<>();
        String[] lines = log.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].contains("unexpected error")) {
                continue;
            }
            StringBuilder error = new StringBuilder(lines[i]);
            // up to the next log line (they start with the date): the exception, its causes and their frames
            for (int j = i + 1; j < lines.length && (j == i + 1 || !lines[j].matches("^\\d{4}-.*")); j++) {
                if (!lines[j].startsWith("\t") && !lines[j].isBlank()) {
                    error.append("\n  ").append(lines[j]);
                }
            }
            errors.add(error.toString());
        }
        return errors;
    }
}
