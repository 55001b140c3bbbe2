package com.ultracloud.deployer.bench.replay;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.bench.support.Database;
import com.ultracloud.deployer.bench.support.Gateway;
import com.ultracloud.deployer.bench.support.Host;
import com.ultracloud.deployer.bench.support.HttpLoad;
import com.ultracloud.deployer.bench.support.LabFacts;
import com.ultracloud.deployer.bench.support.Options;
import com.ultracloud.deployer.bench.support.Results;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Inventory projection rebuild: {@code POST /api/v1/admin/projections/inventory/replay}, timed until the
 * inventory processor has handled the whole event store again, against the baseline of one sequential
 * JDBC read of the same {@code domain_event_entry} rows with a Jackson decode of each payload (into its
 * event class, as named by {@code payload_type}) and its metadata. Ratio = rebuild rate / baseline rate.
 * Standalone it first discovers {@code --machines} machines into a fresh database; {@code ScaleBench}
 * calls {@link #replay} on its own fleet instead.
 */
public final class ReplayBench {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public static void main(String[] args) throws Exception {
        Options o = new Options(args);
        int machines = o.integer("machines", 2000);
        String bench = "replay-" + machines;
        Host.describe(bench, "machines", String.valueOf(machines), "security", "lab-mode");
        try (Database db = Database.create("replay"); Gateway gateway = Gateway.start(db)) {
            HttpLoad.Outcome fill = HttpLoad.post(gateway.uri("/api/v1/bootstrap/discover"),
                    Map.of("X-Join-Secret", gateway.joinSecret()), LabFacts.bodies(machines, 5), o.integer("concurrency", 64));
            System.out.println(fill.describe("discover 0 → " + machines));
            gateway.awaitCaughtUp(Duration.ofMinutes(30));
            replay(bench, gateway, db);
        }
    }

    public static void replay(String bench, Gateway gateway, Database db) throws Exception {
        gateway.awaitCaughtUp(Duration.ofMinutes(30));
        long events = count(db, "domain_event_entry");
        long gatewayBefore = Host.processCpuMillis(gateway.pid());
        long jitBefore = Host.compilerCpuMillis(gateway.pid());
        long machineBefore = Host.machineBusyMillis();
        long t0 = System.nanoTime();
        HttpResponse<String> r = gateway.post("/api/v1/admin/projections/inventory/replay", "");
        if (r.statusCode() != 202) {
            throw new IllegalStateException("replay answered " + r.statusCode() + ": " + r.body());
        }
        double firstProgress = awaitRebuilt(gateway, t0, Duration.ofMinutes(60));
        double rebuild = (System.nanoTime() - t0) / 1e9;
        double gatewayCpu = (Host.processCpuMillis(gateway.pid()) - gatewayBefore) / 1000.0;
        double jitCpu = (Host.compilerCpuMillis(gateway.pid()) - jitBefore) / 1000.0;
        double machineBusy = (Host.machineBusyMillis() - machineBefore) / 1000.0 / (rebuild * Host.cores());
        long rows = count(db, "inventory_machine");
        System.out.printf(Locale.ROOT, "inventory rebuild: %d events in %.2f s = %.0f events/s (%d inventory rows after)%n",
                events, rebuild, events / rebuild, rows);

        decodeAll(db); // warm-up: JIT and the database's cache, not measured
        long t1 = System.nanoTime();
        long decoded = decodeAll(db);
        double baseline = (System.nanoTime() - t1) / 1e9;
        System.out.printf(Locale.ROOT, "baseline: sequential JDBC read + Jackson decode of %d events in %.2f s = %.0f events/s%n",
                decoded, baseline, decoded / baseline);
        Results.sameRun(bench, "rebuild-rate", events / rebuild, decoded / baseline, "events/s", "events", String.valueOf(events),
                "baseline_is", "JDBC-read+Jackson-decode");
        Results.sameRun(bench, "rebuild-time", rebuild, baseline, "s", "events", String.valueOf(events));
        // how busy the rebuild kept the machine: below 100 % the fold waits (on the database, on the coordinator)
        Results.figure(bench, "rebuild-gateway-cpu", gatewayCpu, "s", "jit_compiler_s", String.format(Locale.ROOT, "%.1f", jitCpu),
                "note", "the gateway JVM's CPU during the rebuild; jit_compiler_s is its JIT compiler threads' part");
        Results.figure(bench, "rebuild-machine-busy", machineBusy * 100, "%", "note", "of all cores, every process");
        Results.figure(bench, "rebuild-first-progress", firstProgress, "s",
                "note", "from the replay request until the processor had handled its first event");
    }

    /**
     * Waits until the inventory processor has caught up again; answers the seconds from {@code t0} until it
     * first reported a position (its first handled event after the reset), which separates the processor's
     * restart from the refold itself.
     */
    private static double awaitRebuilt(Gateway gateway, long t0, Duration timeout) throws Exception {
        double firstProgress = Double.NaN;
        while (System.nanoTime() - t0 < timeout.toNanos()) {
            for (JsonNode p : gateway.processors()) {
                if (!p.path("name").asText().equals("inventory")) {
                    continue;
                }
                if (Double.isNaN(firstProgress)) {
                    for (JsonNode segment : p.path("segments")) {
                        if (segment.path("position").asLong(-1) >= 0) {
                            firstProgress = (System.nanoTime() - t0) / 1e9;
                        }
                    }
                }
                if (Gateway.caughtUp(p)) {
                    return firstProgress;
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the inventory rebuild did not catch up within " + timeout);
    }

    /** Reads every event row in global order (streamed, 1,000 rows per fetch) and decodes payload and metadata. */
    public static long decodeAll(Database db) throws Exception {
        Map<String, Class<?>> types = new HashMap<>();
        long n = 0;
        try (Connection c = db.connect()) {
            c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
            try (PreparedStatement ps = c.prepareStatement("select global_index, event_identifier, aggregate_identifier, "
                    + "sequence_number, type, time_stamp, payload_type, payload_revision, payload, meta_data "
                    + "from domain_event_entry order by global_index")) {
                ps.setFetchSize(1000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rs.getLong(1);
                        rs.getString(2);
                        rs.getString(3);
                        rs.getLong(4);
                        rs.getString(5);
                        rs.getString(6);
                        String type = rs.getString(7);
                        rs.getString(8);
                        Class<?> cls = types.computeIfAbsent(type, ReplayBench::load);
                        Object payload = JSON.readValue(rs.getBytes(9), cls);
                        Map<?, ?> meta = JSON.readValue(rs.getBytes(10), Map.class);
                        if (payload != null && meta != null) {
                            n++;
                        }
                    }
                }
            }
            c.commit();
        }
        return n;
    }

    private static Class<?> load(String type) {
        try {
            return Class.forName(type);
        } catch (ClassNotFoundException e) {
            return JsonNode.class;
        }
    }

    private static long count(Database db, String table) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private ReplayBench() {
    }
}
