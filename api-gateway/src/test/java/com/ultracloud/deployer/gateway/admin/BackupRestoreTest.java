package com.ultracloud.deployer.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.ultracloud.deployer.gateway.Hardware;
import com.ultracloud.deployer.gateway.PostgresDatabase;
import com.ultracloud.deployer.gateway.RunningGateway;
import com.ultracloud.deployer.gateway.bootstrap.Installs;
import com.ultracloud.deployer.gateway.bootstrap.LabIntent;
import com.ultracloud.deployer.gateway.rollout.ActiveNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The documented backup (docs/operations.md, "Backup and restore", issue 14 point 5) done for real: a fleet with
 * machines in several states, an install plan, a rollout and an intent is built on PostgreSQL; the real
 * {@code pg_dump} takes the whole database while the gateway runs; {@code pg_restore} puts it into a fresh database;
 * the read models there are emptied, so that only the event store and the non-derivable tables (credentials, API
 * tokens, tokens, sagas, deadlines) remain; a gateway with the same KEK starts on it, every projection is rebuilt
 * through {@code POST /api/v1/admin/projections/{name}/replay}, and each read model equals the original row by row.
 */
class BackupRestoreTest {

    static final Duration TOOL_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path originalDir;
    @TempDir
    Path restoredDir;
    @TempDir
    Path backupDir;

    final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    @Test
    void aPgDumpRestoredIntoAFreshDatabaseRebuildsEveryReadModelEqualToTheOriginal() throws Exception {
        String kek = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
        PostgresDatabase original = PostgresDatabase.create("deployer_backup");
        cleanup.add(original);
        RunningGateway gw = LabIntent.start(gateway(original, originalDir, kek));
        cleanup.add(gw);
        String pending = buildHistory(gw);
        await().atMost(Duration.ofSeconds(60)).until(() -> allCaughtUp(gw));

        Map<String, List<String>> readModels = dump(original, readModelTables());
        List<String> events = dump(original, List.of("domain_event_entry")).get("domain_event_entry");
        assertThat(readModels.get("inventory_machine")).as("machines to restore").hasSize(4);
        ProjectionRebuildTest.TABLES.forEach((projection, tables) -> assertThat(tables.stream()
                .mapToInt(t -> readModels.get(t).size()).sum()).as(projection + " has rows to rebuild").isPositive());
        List<String> fleet = fleet(gw);

        // the backup, online: pg_dump reads one consistent snapshot while the gateway keeps running
        Path backup = backupDir.resolve("deployer.dump");
        run("pg_dump", "--host=" + host(), "--port=" + port(), "--username=" + PostgresDatabase.USER,
                "--format=custom", "--file=" + backup, original.name());
        assertThat(dump(original, readModelTables())).as("the fleet was quiet while it was dumped").isEqualTo(readModels);
        Files.copy(originalDir.resolve("admin-token"), restoredDir.resolve("admin-token")); // the operator's own token
        gw.close();

        // the restore, into a database that never saw this fleet
        PostgresDatabase restored = PostgresDatabase.create("deployer_restored");
        cleanup.add(restored);
        run("pg_restore", "--host=" + host(), "--port=" + port(), "--username=" + PostgresDatabase.USER,
                "--no-owner", "--exit-on-error", "--dbname=" + restored.name(), backup.toString());
        assertThat(dump(restored, List.of("domain_event_entry")).get("domain_event_entry")).as("the event store, restored")
                .isEqualTo(events);
        assertThat(dump(restored, readModelTables())).as("the read models, restored as dumped").isEqualTo(readModels);
        // as docs/operations.md says: free the claims and roster rows of the gateway that made the dump
        try (Connection c = restored.connect(); Statement s = c.createStatement()) {
            s.execute("update token_entry set owner = null");
            s.execute("delete from gateway_replica");
        }
        // forget every read model: what follows is rebuilt from the restored events alone
        try (Connection c = restored.connect(); Statement s = c.createStatement()) {
            s.execute("truncate " + String.join(", ", readModelTables()));
        }

        // as LabIntent.start, without importing the intent again: the restored store has it
        List<String> restoredArgs = new ArrayList<>(List.of(gateway(restored, restoredDir, kek)));
        restoredArgs.add("--deployer.enrollment.automation=false");
        RunningGateway back = RunningGateway.start(restoredArgs.toArray(String[]::new));
        cleanup.add(back);
        assertThat(Files.readString(restoredDir.resolve("cluster-ca.pem"))).as("the restored cluster CA, opened with the KEK")
                .isEqualTo(Files.readString(originalDir.resolve("cluster-ca.pem")));
        for (String projection : ProjectionRebuildTest.TABLES.keySet()) {
            RunningGateway.Response replay = back.post("/api/v1/admin/projections/" + projection + "/replay", null);
            assertThat(replay.status()).as("the restored API token works: " + replay).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> allCaughtUp(back));
        Map<String, List<String>> rebuilt = dump(restored, readModelTables());
        for (String table : readModelTables()) {
            assertThat(rebuilt.get(table)).as(table + " rebuilt from the restored event store").isEqualTo(readModels.get(table));
        }
        assertThat(fleet(back)).as("the inventory as the API answers it").isEqualTo(fleet);

        // and the restored store takes new events after the restored ones
        RunningGateway.Response inspected = back.post("/api/v1/machines/" + pending + "/inspect", null);
        assertThat(inspected.status()).as(inspected.toString()).isEqualTo(202);
        assertThat(inspected.json().get("state").asText()).isEqualTo("INSPECTED");
    }

    /** Machines ACTIVE (one under a rollout), RETIRED, INSTALL_PENDING with a plan, DISCOVERED; answers the last. */
    private static String buildHistory(RunningGateway gw) {
        ActiveNodes.intentDeploymentsFinished(gw);
        ActiveNodes.Node retired = ActiveNodes.install(gw, 961, "backup-961");
        ActiveNodes.Node rolled = ActiveNodes.install(gw, 962, "backup-962");
        assertThat(gw.post("/api/v1/host-deployments", Map.of("id", "backup-1", "selector",
                Map.of("hostnames", List.of(rolled.hostname())), "system", Map.of("storePath", "/nix/store/6666-nixos-system"),
                "batchSize", 1, "drainPolicy", "none")).status()).isEqualTo(201);
        ActiveNodes.awaitState(gw, "backup-1", "IN_PROGRESS");
        for (String action : List.of("drain", "complete-drain", "retire")) {
            assertThat(gw.post("/api/v1/machines/" + retired.machineId() + "/" + action, null).status()).as(action).isEqualTo(202);
        }
        Installs.requestInstall(gw, Hardware.clone("server-nvme-sata-usb", 963), "worker", "general", "backup-963");
        return Installs.discover(gw, Hardware.clone("server-nvme-sata-usb", 964));
    }

    private static String[] gateway(PostgresDatabase db, Path dataDir, String kek) {
        List<String> args = new ArrayList<>(List.of(db.gatewayArgs()));
        args.add("--deployer.data-dir=" + dataDir);
        args.add("--deployer.credentials.kek=" + kek);
        return args.toArray(String[]::new);
    }

    /**
     * Every table the projections module creates (its PostgreSQL migrations), which must be exactly the tables of the
     * replayable projections: a new read model that {@link ProjectionRebuildTest#TABLES} does not know fails here.
     */
    static List<String> readModelTables() throws IOException {
        Set<String> created = new TreeSet<>();
        Pattern create = Pattern.compile("(?i)create table\\s+(?:if not exists\\s+)?(\\w+)");
        Path migrations = LabIntent.LAB.getParent().getParent().getParent()
                .resolve("projections/src/main/resources/db/migration/postgresql");
        try (Stream<Path> files = Files.list(migrations)) {
            for (Path f : files.toList()) {
                Matcher m = create.matcher(Files.readString(f));
                while (m.find()) {
                    created.add(m.group(1).toLowerCase());
                }
            }
        }
        Set<String> replayable = new TreeSet<>();
        ProjectionRebuildTest.TABLES.values().forEach(replayable::addAll);
        assertThat(created).as("the projections' tables are the replayable ones").isEqualTo(replayable);
        return List.copyOf(created);
    }

    private static boolean allCaughtUp(RunningGateway gw) {
        JsonNode all = gw.get("/api/v1/admin/projections").json();
        for (JsonNode p : all) {
            if (!p.path("lag").isNumber() || p.get("lag").asLong() != 0 || p.get("replaying").asBoolean()) {
                return false;
            }
        }
        return !all.isEmpty();
    }

    /** Each machine's id, state, hostname and version as the inventory answers them, in id order. */
    private static List<String> fleet(RunningGateway gw) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : gw.get("/api/v1/machines?size=500").json().get("items")) {
            out.add(m.get("machineId").asText() + " " + m.get("state").asText() + " " + m.path("hostname").asText("-")
                    + " v" + m.path("version").asText());
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /** Every row of each table, as text, in a stable order (zero counts left out, as in ProjectionRebuildTest). */
    static Map<String, List<String>> dump(PostgresDatabase db, List<String> tables) throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String table : tables) {
                String where = table.endsWith("_count") ? " where machines <> 0" : "";
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("select * from " + table + where)) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        StringBuilder b = new StringBuilder();
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            Object value = rs.getObject(i);
                            b.append(meta.getColumnName(i)).append('=')
                                    .append(value instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : value).append("; ");
                        }
                        rows.add(b.toString());
                    }
                }
                rows.sort(Comparator.naturalOrder());
                out.put(table, rows);
            }
        }
        return out;
    }

    private static String host() {
        return PostgresDatabase.HOST.substring(0, PostgresDatabase.HOST.lastIndexOf(':'));
    }

    private static String port() {
        return PostgresDatabase.HOST.substring(PostgresDatabase.HOST.lastIndexOf(':') + 1);
    }

    /** Runs a PostgreSQL client tool (postgresql-client) and fails with its output unless it exits 0 in time. */
    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean done = p.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(done).as(command[0] + " finished within " + TOOL_TIMEOUT + ": " + output).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
    }
}
