package com.ultracloud.deployer.bench.scale;

import com.ultracloud.deployer.bench.replay.ReplayBench;
import com.ultracloud.deployer.bench.support.Database;
import com.ultracloud.deployer.bench.support.Gateway;
import com.ultracloud.deployer.bench.support.Host;
import com.ultracloud.deployer.bench.support.HttpLoad;
import com.ultracloud.deployer.bench.support.LabFacts;
import com.ultracloud.deployer.bench.support.Latencies;
import com.ultracloud.deployer.bench.support.Options;
import com.ultracloud.deployer.bench.support.Results;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A big fleet: discovers machines into a fresh PostgreSQL database ({@code --concurrency} in flight) up
 * to 1,000 and then up to {@code --machines}; at both sizes, once the read side has caught up, times
 * {@code --probes} sequential requests each of: the inventory's first page, a filtered page
 * ({@code --filter}), a machine's detail, and the discover of a new machine. Baselines in the same run:
 * the same page, filtered page and row read with plain SQL over JDBC; for discover, its p99 at 1,000.
 * Before each set of probes the database is analysed ({@link Database#analyze}): the query planner's
 * statistics of a table grown over time, which autovacuum keeps on a default PostgreSQL.
 * Then the gateway's resident memory with the JVM options used. {@code --replay=true} rebuilds the
 * inventory projection on the same database afterwards ({@link ReplayBench}).
 */
public final class ScaleBench {

    private static final String COLUMNS = "machine_id, state, hostname, node_id, node_class, pool, labels, last_seen, "
            + "updated_at, version, detail";

    public static void main(String[] args) throws Exception {
        Options o = new Options(args);
        int machines = o.integer("machines", 10_000);
        int concurrency = o.integer("concurrency", 64);
        int probes = o.integer("probes", 200);
        String filter = o.string("filter", "state=DISCOVERED&q=dell");
        int small = Math.min(1000, machines);
        String bench = "scale-" + machines;
        Host.describe(bench, "machines", String.valueOf(machines), "concurrency", String.valueOf(concurrency),
                "probes", String.valueOf(probes), "filter", filter, "security", "lab-mode", "gateway_java_opts",
                Gateway.javaOptsLabel());
        try (Database db = Database.create("scale"); Gateway gateway = Gateway.start(db)) {
            double emptyRss = gateway.rssMib();
            Map<String, String> join = Map.of("X-Join-Secret", gateway.joinSecret());
            URI discover = gateway.uri("/api/v1/bootstrap/discover");
            List<byte[]> fleet = LabFacts.bodies(machines, 3);
            List<byte[]> probeFacts = LabFacts.bodies(2 * probes, 4);

            HttpLoad.Outcome first = HttpLoad.post(discover, join, fleet.subList(0, small), concurrency);
            System.out.println(first.describe("discover 0 → " + small));
            gateway.awaitCaughtUp(Duration.ofMinutes(30));
            db.analyze();
            Probe atSmall = probe(gateway, db, filter, probes, probeFacts.subList(0, probes), join);
            atSmall.print("at " + small);

            HttpLoad.Outcome rest = HttpLoad.post(discover, join, fleet.subList(small, machines), concurrency);
            System.out.println(rest.describe("discover " + small + " → " + machines));
            double lag = gateway.awaitCaughtUp(Duration.ofMinutes(60));
            db.analyze();
            Probe atLarge = probe(gateway, db, filter, probes, probeFacts.subList(probes, 2 * probes), join);
            atLarge.print("at " + machines);
            double rss = gateway.rssMib();
            AsOf asOf = asOf(gateway, db, o.integer("as-of-probes", 5));

            String at = "machines";
            String size = String.valueOf(machines);
            Results.figure(bench, "fill-throughput", rest.throughput(), "req/s", at, size, "concurrency", String.valueOf(concurrency));
            Results.figure(bench, "fill-p99", rest.latencies().percentileMillis(99), "ms", at, size);
            Results.figure(bench, "fill-errors", rest.errors(), "count", at, size);
            Results.figure(bench, "read-side-catch-up", lag, "s", at, size, "note", "after the last discover answered");
            Results.sameRun(bench, "list-p50", atLarge.list.percentileMillis(50), atLarge.sqlList.percentileMillis(50), "ms", at, size, "baseline_is", "raw-SQL-page");
            Results.sameRun(bench, "list-p99", atLarge.list.percentileMillis(99), atLarge.sqlList.percentileMillis(99), "ms", at, size, "baseline_is", "raw-SQL-page");
            Results.sameRun(bench, "filtered-p50", atLarge.filtered.percentileMillis(50), atLarge.sqlFiltered.percentileMillis(50), "ms", at, size, "baseline_is", "raw-SQL-page");
            Results.sameRun(bench, "filtered-p99", atLarge.filtered.percentileMillis(99), atLarge.sqlFiltered.percentileMillis(99), "ms", at, size, "baseline_is", "raw-SQL-page");
            Results.sameRun(bench, "detail-p99", atLarge.detail.percentileMillis(99), atLarge.sqlDetail.percentileMillis(99), "ms", at, size, "baseline_is", "raw-SQL-row");
            Results.sameRun(bench, "discover-p99", atLarge.discover.percentileMillis(99), atSmall.discover.percentileMillis(99), "ms", at, size, "baseline_is", "discover-p99-at-" + small);
            Results.sameRun(bench, "list-p99-vs-small", atLarge.list.percentileMillis(99), atSmall.list.percentileMillis(99), "ms", at, size, "baseline_is", "list-p99-at-" + small);
            Results.sameRun(bench, "as-of-p50", asOf.latencies.percentileMillis(50), asOf.rawMillis, "ms", at, size,
                    "events", String.valueOf(asOf.events), "baseline_is", "JDBC-read+Jackson-decode-of-the-store");
            Results.figure(bench, "as-of-max", asOf.latencies.maxMillis(), "ms", at, size, "events", String.valueOf(asOf.events));
            Results.figure(bench, "gateway-rss", rss, "MiB", at, size, "java_opts", gateway.javaOpts());
            Results.figure(bench, "gateway-rss-empty", emptyRss, "MiB", "java_opts", gateway.javaOpts());
            if (o.flag("replay", false)) {
                ReplayBench.replay("replay-" + machines, gateway, db);
            }
        }
    }

    /** {@code GET /api/v1/machines?at=<head>}: the fleet folded from the whole store, against reading and decoding it. */
    record AsOf(Latencies latencies, double rawMillis, long events) {
    }

    static AsOf asOf(Gateway gateway, Database db, int n) throws Exception {
        long events;
        try (Connection c = db.connect(); var rs = c.createStatement().executeQuery("select max(global_index) from domain_event_entry")) {
            rs.next();
            events = rs.getLong(1);
        }
        String path = "/api/v1/machines?at=" + events + "&size=50";
        timedGet(gateway, path); // warm-up
        Latencies latencies = new Latencies(n);
        for (int i = 0; i < n; i++) {
            latencies.add(timedGet(gateway, path));
        }
        ReplayBench.decodeAll(db); // warm-up
        long t0 = System.nanoTime();
        ReplayBench.decodeAll(db);
        double raw = (System.nanoTime() - t0) / 1e6;
        System.out.printf(Locale.ROOT, "as of position %d (the head): p50 %.0f ms, max %.0f ms; reading and decoding the "
                + "store's %d events over JDBC: %.0f ms%n", events, latencies.percentileMillis(50), latencies.maxMillis(), events, raw);
        return new AsOf(latencies, raw, events);
    }

    /** The probes' latencies at one fleet size, with their raw SQL counterparts. */
    record Probe(Latencies list, Latencies filtered, Latencies detail, Latencies discover,
                 Latencies sqlList, Latencies sqlFiltered, Latencies sqlDetail) {
        void print(String when) {
            System.out.printf(Locale.ROOT, "%s: list p50 %.1f p99 %.1f ms (SQL %.1f/%.1f), filtered p50 %.1f p99 %.1f ms "
                            + "(SQL %.1f/%.1f), detail p99 %.1f ms (SQL %.1f), discover p99 %.1f ms%n", when,
                    list.percentileMillis(50), list.percentileMillis(99), sqlList.percentileMillis(50), sqlList.percentileMillis(99),
                    filtered.percentileMillis(50), filtered.percentileMillis(99), sqlFiltered.percentileMillis(50),
                    sqlFiltered.percentileMillis(99), detail.percentileMillis(99), sqlDetail.percentileMillis(99),
                    discover.percentileMillis(99));
        }
    }

    static Probe probe(Gateway gateway, Database db, String filter, int n, List<byte[]> newMachines,
                       Map<String, String> join) throws Exception {
        Latencies list = new Latencies(n);
        Latencies filtered = new Latencies(n);
        Latencies detail = new Latencies(n);
        Latencies discover = new Latencies(n);
        Latencies sqlList = new Latencies(n);
        Latencies sqlFiltered = new Latencies(n);
        Latencies sqlDetail = new Latencies(n);
        Map<String, String> f = parse(filter);
        try (Connection c = db.connect()) {
            List<String> ids = randomIds(c, n);
            String where = " where state = ? and search_text like ? escape '\\'";
            try (PreparedStatement page = c.prepareStatement("select " + COLUMNS + " from inventory_machine "
                    + "order by hostname asc, machine_id asc limit 50 offset 0");
                 PreparedStatement count = c.prepareStatement("select count(*) from inventory_machine");
                 PreparedStatement fpage = c.prepareStatement("select " + COLUMNS + " from inventory_machine" + where
                         + " order by hostname asc, machine_id asc limit 50 offset 0");
                 PreparedStatement fcount = c.prepareStatement("select count(*) from inventory_machine" + where);
                 PreparedStatement row = c.prepareStatement("select " + COLUMNS + " from inventory_machine where machine_id = ?")) {
                for (PreparedStatement ps : List.of(fpage, fcount)) {
                    ps.setString(1, f.getOrDefault("state", "DISCOVERED"));
                    ps.setString(2, "%" + f.getOrDefault("q", "").toLowerCase(Locale.ROOT) + "%");
                }
                for (int i = 0; i < n; i++) {
                    list.add(timedGet(gateway, "/api/v1/machines?size=50"));
                    filtered.add(timedGet(gateway, "/api/v1/machines?size=50&" + filter));
                    detail.add(timedGet(gateway, "/api/v1/machines/" + ids.get(i % ids.size())));
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = post(gateway, newMachines.get(i), join);
                    discover.add(System.nanoTime() - t0);
                    check(r, "discover");
                    sqlList.add(timedQuery(page, count));
                    sqlFiltered.add(timedQuery(fpage, fcount));
                    row.setString(1, ids.get(i % ids.size()));
                    sqlDetail.add(timedQuery(row));
                }
            }
        }
        return new Probe(list, filtered, detail, discover, sqlList, sqlFiltered, sqlDetail);
    }

    private static HttpResponse<String> post(Gateway gateway, byte[] body, Map<String, String> join) throws Exception {
        var b = java.net.http.HttpRequest.newBuilder(gateway.uri("/api/v1/bootstrap/discover"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
        join.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    private static long timedGet(Gateway gateway, String path) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = gateway.get(path);
        long t = System.nanoTime() - t0;
        check(r, path);
        return t;
    }

    private static void check(HttpResponse<String> r, String what) {
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(what + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** Runs the queries and reads every column of every row, as a client of the page would. */
    private static long timedQuery(PreparedStatement... statements) throws SQLException {
        long t0 = System.nanoTime();
        for (PreparedStatement ps : statements) {
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= columns; i++) {
                        rs.getObject(i);
                    }
                }
            }
        }
        return System.nanoTime() - t0;
    }

    private static List<String> randomIds(Connection c, int n) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select machine_id from inventory_machine order by random() limit ?")) {
            ps.setInt(1, n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalStateException("the inventory is empty");
        }
        return ids;
    }

    private static Map<String, String> parse(String query) {
        Map<String, String> m = new java.util.HashMap<>();
        for (String kv : query.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                m.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    private ScaleBench() {
    }
}
