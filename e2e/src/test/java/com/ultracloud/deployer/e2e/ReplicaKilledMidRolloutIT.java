package com.ultracloud.deployer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static com.ultracloud.deployer.e2e.GatewayProcess.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One replica killed during a rollout: the other finishes it. Two gateway replicas (postgres profile) share one
 * database, one KEK and one join secret, as docs/operations.md ("Scale-out") says. Replica A starts first and claims
 * every processing group's one segment, the rollout saga's included; replica B starts after it and stands by. The six
 * lab machines install and run their agents against B only (bootstrap, operator calls and the agent API over mutual
 * TLS, with node certificates A's install saga issued), so every command reaches the write side through B while A's
 * saga drives the rollout. Once the first batch of two is rolled out and the second one is in flight, A is killed with
 * {@code kill -9}: its token claims are not released and the deadlines it scheduled stay in {@code scheduled_tasks}.
 * B must take the claims over (Axon's claim timeout), continue the saga from its stored state, cancel the deadlines
 * A had scheduled as their machines report, schedule its own, and finish: SUCCEEDED, every machine rolled out exactly
 * once, none failed, and no agent ever answered a 5xx (nor unable to reach B: B never went away).
 */
class ReplicaKilledMidRolloutIT {

    private static final List<String> HOSTS = List.of("cp-1", "cp-2", "cp-3", "storage-1", "worker-1", "worker-2");
    private static final String DEPLOYMENT = "replica-rollover";
    private static final String NEW_SYSTEM = "/nix/store/0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f-nixos-system-fleet-4";
    private static final String SAGA = "RolloutSagaProcessor";

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 9, unit = TimeUnit.MINUTES)
    void aReplicaKilledMidRolloutIsTakenOverByTheOther() throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create("e2e_replica_killed")) {
            run(db);
        }
    }

    private void run(ScratchDatabase db) throws Exception {
        Instant began = Instant.now();
        ReplicaSecrets secrets = ReplicaSecrets.create(tmp);
        Path joinSecretFile = secrets.joinSecretFile();
        // what every replica must share (docs/operations.md, "Scale-out"): the database, the KEK, the join secret
        String[] shared = secrets.args(db.url());

        GatewayProcess a = GatewayProcess.start(GatewayProcess.freePort(), tmp.resolve("a"), shared);
        GatewayProcess b = null;
        InstallerProcess lab = null;
        Instant killed;
        Map<String, String> deadlinesAtKill;
        long headAtKill;
        String ownerA = a.pid() + "@";
        try (Connection sql = DriverManager.getConnection(db.url(), "postgres", "")) {
            // A claims every processing group's segment before B exists
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    assertThat(owner(sql, SAGA)).as("owner of " + SAGA).startsWith(ownerA));
            // the first start wrote the admin token into A's data dir only; the token itself is in the shared database
            Files.createDirectories(tmp.resolve("b"));
            Files.copy(a.adminTokenFile(), tmp.resolve("b").resolve("admin-token"));
            Instant startingB = Instant.now();
            b = GatewayProcess.start(GatewayProcess.freePort(), tmp.resolve("b"), shared);
            System.out.printf("replica A (pid %d) up; replica B (pid %d) up in %d s%n", a.pid(), b.pid(),
                    Duration.between(startingB, Instant.now()).toSeconds());
            GatewayProcess replicaB = b;
            assertThat(b.get("/api/v1/admin/projections")).isNotNull();
            // B stands by: every segment of every streaming processor is A's, and B's status shows none
            assertThat(owners(sql).values()).as("token owners with B up").allMatch(o -> o.startsWith(ownerA));
            assertThat(segments(a, SAGA)).as("A's segments of " + SAGA).isEqualTo(1);
            assertThat(segments(b, SAGA)).as("B's segments of " + SAGA).isZero();

            b.importLabIntent();
            lab = InstallerProcess.labWithAgents(tmp, b, joinSecretFile, b.adminTokenFile(),
                    "--activation-delay-ms", "2500", "--timeout", "900");
            InstallerProcess running = lab;
            await().atMost(Duration.ofSeconds(200)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                for (String host : HOSTS) {
                    assertThat(replicaB.stateOfHost(host)).as(host + "\n" + running.out()).isEqualTo("ACTIVE");
                }
            });
            System.out.printf("six machines ACTIVE through B after %d s%n", Duration.between(began, Instant.now()).toSeconds());

            b.post("/api/v1/host-deployments", JSON.readTree("""
                    {"id": "%s", "selector": {"pools": ["control-plane", "storage", "general"]},
                     "system": {"storePath": "%s"}, "batchSize": 2, "maxUnavailable": 2,
                     "activation": {"strategy": "switch", "activationTimeoutSeconds": 600, "confirmTimeoutSeconds": 60,
                                    "healthCheck": {"type": "systemd", "units": ["sshd.service"]}},
                     "failureThreshold": 1}""".formatted(DEPLOYMENT, NEW_SYSTEM)));
            Instant created = Instant.now();
            // the first batch is rolled out and A's saga has started the second (its deadlines are A's rows)
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                JsonNode counts = counts(replicaB);
                assertThat(counts.path("rolledOut").asInt()).as(counts + "\n" + running.out()).isGreaterThanOrEqualTo(2);
                assertThat(counts.path("activating").asInt()).as(counts.toString()).isPositive();
            });
            JsonNode before = counts(b);
            assertThat(before.path("rolledOut").asInt()).as("rolled out before the kill: " + before).isBetween(2, 5);
            assertThat(owner(sql, SAGA)).as("the saga's segment is A's at the kill").startsWith(ownerA);
            deadlinesAtKill = rolloutDeadlines(sql);
            assertThat(deadlinesAtKill).as("the in-flight machines' deadlines, scheduled by A").isNotEmpty();
            System.out.printf("batch 1 done %d s after the create; killing A with %s; deadlines in flight %s%n",
                    Duration.between(created, Instant.now()).toSeconds(), before, deadlinesAtKill.values());
            a.kill();
            killed = Instant.now();
            headAtKill = head(sql);
        } catch (Exception | AssertionError e) {
            if (lab != null) {
                lab.stop();
            }
            a.close();
            if (b != null) {
                b.close();
            }
            throw e;
        }

        GatewayProcess replicaB = b;
        InstallerProcess running = lab;
        String ownerB = b.pid() + "@";
        try (Connection sql = DriverManager.getConnection(db.url(), "postgres", "")) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(owner(sql, SAGA)).as("owner of " + SAGA + " after the kill").startsWith(ownerB));
            Duration claimed = Duration.between(killed, Instant.now());
            assertThat(segments(b, SAGA)).as("B's segments of " + SAGA).isEqualTo(1);
            // the first of A's deadlines that B's saga cancels (its machine reported `started` to B)
            AtomicReference<Instant> firstCancelled = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                if (firstCancelled.get() == null && !rolloutDeadlines(sql).keySet().containsAll(deadlinesAtKill.keySet())) {
                    firstCancelled.set(Instant.now());
                }
                JsonNode d = replicaB.get("/api/v1/host-deployments/" + DEPLOYMENT);
                assertThat(d).isNotNull();
                assertThat(d.path("state").asText()).as(d.toPrettyString() + "\n" + running.out()).isEqualTo("SUCCEEDED");
            });

            // the figures, from the store: the first event B's saga caused, and the deployment's end
            Instant firstByB = Instant.parse(firstEventAfter(sql, headAtKill, "MachineRolledOut", "DesiredSystemSet"));
            Instant succeeded = Instant.parse(firstEventAfter(sql, headAtKill, "HostDeploymentSucceeded"));
            assertThat(firstCancelled.get()).as("a deadline of A's cancelled by B's saga").isNotNull();
            System.out.printf("hand-over: kill -9 of A -> B owns %s after %.1f s (seen); B's saga cancels a deadline "
                            + "A had scheduled after %.1f s (seen); its first command's event after %.1f s; SUCCEEDED after "
                            + "%.1f s; test %d s in all%n", SAGA, claimed.toMillis() / 1000.0,
                    Duration.between(killed, firstCancelled.get()).toMillis() / 1000.0,
                    Duration.between(killed, firstByB).toMillis() / 1000.0,
                    Duration.between(killed, succeeded).toMillis() / 1000.0,
                    Duration.between(began, Instant.now()).toSeconds());

            printTimeline(sql, headAtKill, killed, replicaB);

            // every group went over to B, not only the saga's
            assertThat(owners(sql).values()).as("token owners after the hand-over").allMatch(o -> o.startsWith(ownerB));
            // no loss, no duplicate: six rolled out, each once, none failed
            JsonNode deployment = b.get("/api/v1/host-deployments/" + DEPLOYMENT);
            assertThat(deployment.path("counts").path("rolledOut").asInt()).isEqualTo(HOSTS.size());
            assertThat(deployment.path("counts").path("failed").asInt()).isZero();
            assertThat(countEvents(sql, DEPLOYMENT, "MachineRolledOut")).isEqualTo(HOSTS.size());
            assertThat(countEvents(sql, DEPLOYMENT, "MachineRolloutFailed")).isZero();
            for (String host : HOSTS) {
                String id = b.machineByHostname(host).get("machineId").asText();
                JsonNode detail = b.get("/api/v1/machines/" + id + "?consistent=true");
                assertThat(detail.get("state").asText()).as(host).isEqualTo("ACTIVE");
                assertThat(detail.path("rollout").path("status").asText()).as(host).isEqualTo("healthy");
                assertThat(detail.path("rollout").path("runningSystem").asText()).as(host).isEqualTo(NEW_SYSTEM);
                assertThat(b.eventTypes(id).stream().filter("DesiredSystemSet"::equals).count())
                        .as(host + ": desired systems set").isEqualTo(1);
                assertThat(switches(host)).as(host + ": activations of the new system by its agent").isEqualTo(1);
            }
            // the deadlines A had scheduled were cancelled by B's saga as their machines reported (none fired: nothing
            // failed), and none is left behind, neither pending nor picked by the dead replica
            assertThat(rolloutDeadlines(sql)).as("rollout deadlines left").isEmpty();
            assertThat(pickedBy(sql)).as("scheduled tasks picked at the end").isEmpty();
        } finally {
            lab.stop();
            b.close();
        }
        String out = lab.out();
        out.lines().filter(l -> l.contains("answered")).limit(20).forEach(l -> System.out.println("lab: " + l));
        Files.readAllLines(b.log()).stream().filter(l -> l.contains(" WARN ") && loggedAfter(l, killed)).limit(20)
                .forEach(l -> System.out.println("B's log after the kill: " + l));
        assertThat(out).as("what the agents and installers saw of B").doesNotContainPattern("answered 5\\d\\d")
                .doesNotContain("cannot reach the deployer")
                .containsPattern("6 agents, 6 confirmed their first boot \\(ACTIVE\\); last rollout results: 6 " + DEPLOYMENT
                        + " gen \\d+ healthy");
        List<String> errors = Files.readAllLines(b.log()).stream().filter(l -> l.contains(" ERROR ")).toList();
        assertThat(errors).as("ERROR lines in B's log").isEmpty();
    }

    /** Every event after the kill, with its time since the kill and the machine's hostname (for the figures). */
    private static void printTimeline(Connection sql, long head, Instant killed, GatewayProcess gateway) throws Exception {
        Map<String, String> hostnames = new TreeMap<>();
        for (JsonNode m : gateway.get("/api/v1/machines?size=50").get("items")) {
            hostnames.put(m.get("machineId").asText(), m.path("hostname").asText());
        }
        try (PreparedStatement s = sql.prepareStatement("select payload_type, aggregate_identifier, time_stamp "
                + "from domain_event_entry where global_index > ? order by global_index")) {
            s.setLong(1, head);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String type = r.getString(1);
                    System.out.printf("  +%6.1f s %-24s %s%n",
                            Duration.between(killed, Instant.parse(r.getString(3))).toMillis() / 1000.0,
                            type.substring(type.lastIndexOf('.') + 1), hostnames.getOrDefault(r.getString(2), r.getString(2)));
                }
            }
        }
    }

    /** Whether a log line (Spring Boot's format: an ISO instant first) was written after {@code instant}. */
    private static boolean loggedAfter(String line, Instant instant) {
        try {
            return Instant.parse(line.substring(0, line.indexOf(' '))).isAfter(instant);
        } catch (RuntimeException e) {
            return false; // a continuation line (a stack trace)
        }
    }

    private static JsonNode counts(GatewayProcess gateway) throws Exception {
        JsonNode d = gateway.get("/api/v1/host-deployments/" + DEPLOYMENT);
        return d == null ? JSON.createObjectNode() : d.path("counts");
    }

    /** How many segments of {@code processor} the replica runs, by its own status endpoint. */
    private static int segments(GatewayProcess gateway, String processor) throws Exception {
        for (JsonNode p : gateway.get("/api/v1/admin/projections")) {
            if (processor.equals(p.path("name").asText())) {
                return p.path("segments").size();
            }
        }
        throw new AssertionError("no processor " + processor);
    }

    private static String owner(Connection sql, String processor) throws SQLException {
        String owner = owners(sql).get(processor);
        return owner == null ? "" : owner;
    }

    /** token_entry: processor → owner ({@code pid@host}, or "" when unclaimed). */
    private static Map<String, String> owners(Connection sql) throws SQLException {
        Map<String, String> owners = new TreeMap<>();
        try (PreparedStatement s = sql.prepareStatement("select processor_name, segment, owner from token_entry");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                owners.put(r.getString(1) + (r.getInt(2) == 0 ? "" : "/" + r.getInt(2)),
                        r.getString(3) == null ? "" : r.getString(3));
            }
        }
        return owners;
    }

    /** The rollout saga's deadlines in db-scheduler's table: task instance → the deadline's name. */
    private static Map<String, String> rolloutDeadlines(Connection sql) throws SQLException {
        Map<String, String> deadlines = new TreeMap<>();
        try (PreparedStatement s = sql.prepareStatement("select task_instance, task_data from scheduled_tasks");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                String data = new String(r.getBytes(2), java.nio.charset.StandardCharsets.ISO_8859_1);
                for (String name : List.of("rollout-activation-timeout", "rollout-confirm-timeout", "rollout-drain-timeout",
                        "rollout-budget-recheck", "rollout-start-retry")) {
                    if (data.contains(name)) {
                        deadlines.put(r.getString(1), name);
                    }
                }
            }
        }
        return deadlines;
    }

    private static List<String> pickedBy(Connection sql) throws SQLException {
        List<String> picked = new ArrayList<>();
        try (PreparedStatement s = sql.prepareStatement("select task_instance, picked_by from scheduled_tasks where picked");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                picked.add(r.getString(1) + " by " + r.getString(2));
            }
        }
        return picked;
    }

    private static long head(Connection sql) throws SQLException {
        try (PreparedStatement s = sql.prepareStatement("select coalesce(max(global_index), -1) from domain_event_entry");
             ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    /** The timestamp of the first event after {@code head} whose type is one of {@code types} (simple names). */
    private static String firstEventAfter(Connection sql, long head, String... types) throws SQLException {
        try (PreparedStatement s = sql.prepareStatement(
                "select payload_type, time_stamp from domain_event_entry where global_index > ? order by global_index")) {
            s.setLong(1, head);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String type = r.getString(1);
                    for (String t : types) {
                        if (type.endsWith("." + t)) {
                            return r.getString(2);
                        }
                    }
                }
            }
        }
        throw new AssertionError("no event of " + List.of(types) + " after global index " + head);
    }

    private static int countEvents(Connection sql, String aggregate, String type) throws SQLException {
        try (PreparedStatement s = sql.prepareStatement(
                "select count(*) from domain_event_entry where aggregate_identifier = ? and payload_type like ?")) {
            s.setString(1, aggregate);
            s.setString(2, "%." + type);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    /** How often the host's agent switched to the new system ({@code switch-to-configuration test}). */
    private long switches(String host) throws Exception {
        return Files.readAllLines(tmp.resolve("commands.jsonl")).stream().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(r -> "agent".equals(r.path("phase").asText()) && host.equals(r.path("hostname").asText()))
                .filter(r -> r.path("command").size() >= 2
                        && (NEW_SYSTEM + "/bin/switch-to-configuration").equals(r.path("command").get(0).asText())
                        && "test".equals(r.path("command").get(1).asText()))
                .count();
    }
}
