package com.ultracloud.deployer.gateway.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.ultracloud.deployer.gateway.PostgresDatabase;
import com.ultracloud.deployer.gateway.RunningGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The full install over HTTP on the {@code postgres} profile, with the no-secret-at-rest check on PostgreSQL's tables. */
class PostgresBootstrapFlowTest {

    @TempDir
    static Path dataDir;
    static PostgresDatabase db;
    static RunningGateway gw;

    @BeforeAll
    static void start() {
        db = PostgresDatabase.create("bootstrap_flow");
        List<String> args = new ArrayList<>(List.of(db.gatewayArgs()));
        args.add("--deployer.data-dir=" + dataDir);
        args.add("--deployer.credentials.kek=" + com.ultracloud.deployer.machine.domain.credentials.KeySealer.generateKek());
        gw = LabIntent.start(args.toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
        db.close();
    }

    @Test
    void aSeedIsInstalledAndNothingSecretIsStored() throws Exception {
        Installs.Done done = Installs.installFully(gw, LabIntent.hardware("cp-2"), "control-plane", "control-plane", "cp-2");
        JsonNode secrets = done.plan().get("secrets");
        SecretChecks.certificateVerifies(secrets.get("tls"), List.of("cp-2", "cp-2.mgmt.lab.ultracloud.example"),
                List.of("10.42.0.12", "10.43.0.12"));
        SecretChecks.sshKeyMatches(secrets.get("sshHostKey"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(gw.get("/api/v1/machines/" + done.machineId() + "/install-plan").json().get("status").asText())
                        .isEqualTo("succeeded"));
        assertThat(dataDir.resolve("kek")).as("a configured KEK writes no file").doesNotExist();
        try (Connection c = db.connect()) {
            long cells = SecretChecks.assertNoneContain(c, List.of("domain_event_entry", "saga_entry", "association_value_entry",
                    "token_entry", "inventory_machine", "install_plan", "scheduled_tasks", "sealed_secret", "cluster_ca"),
                    SecretChecks.secretsOf(done.plan(), done.token()));
            assertThat(cells).isGreaterThan(50);
        }
        RunningGateway.Response revoked = Installs.fetchPlan(gw, done.token(), "");
        assertThat(revoked.status()).isEqualTo(403);
    }
}
