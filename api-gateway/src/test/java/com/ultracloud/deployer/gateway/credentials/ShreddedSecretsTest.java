package com.ultracloud.deployer.gateway.credentials;

import com.ultracloud.deployer.gateway.Hardware;
import com.ultracloud.deployer.gateway.RunningGateway;
import com.ultracloud.deployer.gateway.bootstrap.Installs;
import com.ultracloud.deployer.gateway.bootstrap.LabIntent;
import com.ultracloud.deployer.gateway.bootstrap.SecretChecks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11, retire and reprovision: afterwards no private key of the machine's old credentials is readable
 * anywhere in the store. Its {@code sealed_secret} row is gone (the TLS and SSH keys sealed under the KEK,
 * with their nonces), and no cell of any table holds the keys in clear or a piece of their sealed bytes.
 * The sealed blob is version, KEK id, nonce, ciphertext, tag (KeySealer): there is no separate data key to
 * shred, so deleting the blob leaves nothing that the KEK could open.
 */
class ShreddedSecretsTest {

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
    void aRetiredMachinesKeysAreGoneFromEveryTable() throws Exception {
        Installs.Done node = Installs.installFully(gw, Hardware.clone("server-nvme-sata-usb", 701), "worker", "general", "worker-701");
        List<String> needles = needlesOf(node);
        String m = "/api/v1/machines/" + node.machineId();
        assertThat(gw.post(m + "/mark-failed", Map.of("reason", "the PSU smells")).status()).isEqualTo(202);
        assertThat(gw.post(m + "/retire", null).status()).isEqualTo(202);
        assertGone(node, needles);
    }

    @Test
    void aReprovisionedMachinesOldKeysAreGoneFromEveryTable() throws Exception {
        Installs.Done node = Installs.installFully(gw, Hardware.clone("server-nvme-sata-usb", 702), "worker", "general", "worker-702");
        List<String> needles = needlesOf(node);
        assertThat(gw.post("/api/v1/machines/" + node.machineId() + "/reprovision", null).status()).isEqualTo(202);
        assertGone(node, needles);
    }

    /** The delivered keys (PEM bodies, tokens) and 32 bytes from the middle of each sealed blob of the machine's row. */
    private static List<String> needlesOf(Installs.Done node) {
        List<String> needles = new ArrayList<>(SecretChecks.secretsOf(node.plan(), node.token()));
        Map<String, Object> row = gw.bean(JdbcTemplate.class).queryForMap(
                "select sealed_tls_key, sealed_ssh_key, sealed_progress_token from sealed_secret where machine_id = ?",
                node.machineId());
        for (Object sealed : row.values()) {
            byte[] blob = (byte[]) sealed;
            assertThat(blob.length).isGreaterThan(17 + 32 + 16);
            // past the header (version, KEK id, nonce): ciphertext, unique to this seal
            needles.add(new String(Arrays.copyOfRange(blob, 17, 17 + 32), StandardCharsets.ISO_8859_1));
        }
        return needles;
    }

    private static void assertGone(Installs.Done node, List<String> needles) throws Exception {
        String planId = node.plan().get("plan").get("planId").asText();
        assertThat(gw.bean(JdbcTemplate.class).queryForObject(
                "select count(*) from sealed_secret where machine_id = ? and plan_id = ?", Integer.class, node.machineId(), planId))
                .as("the old plan's sealed row").isZero();
        try (Connection c = gw.bean(DataSource.class).getConnection()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, "PUBLIC", "%", new String[]{"TABLE"})) {
                while (rs.next()) {
                    tables.add('"' + rs.getString("TABLE_NAME") + '"'); // as the metadata spells it (Flyway's is lower case)
                }
            }
            assertThat(tables).as("every table of the store")
                    .contains("\"SEALED_SECRET\"", "\"DOMAIN_EVENT_ENTRY\"", "\"INVENTORY_MACHINE\"").hasSizeGreaterThan(15);
            long cells = SecretChecks.assertNoneContain(c, tables, needles);
            assertThat(cells).isGreaterThan(100);
        }
    }
}
