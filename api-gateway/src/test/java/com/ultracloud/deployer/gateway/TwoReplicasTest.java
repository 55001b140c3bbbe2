package com.ultracloud.deployer.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two gateway replicas sharing one PostgreSQL database (the postgres profile's scale-out story), each
 * with its aggregate cache on: a replica's cached copy of a machine the other one changed must never
 * be decided on (ADR 0005).
 */
class TwoReplicasTest {

    static PostgresDatabase db;
    static RunningGateway a;
    static RunningGateway b;

    @BeforeAll
    static void start() {
        db = PostgresDatabase.create("deployer_replicas");
        a = RunningGateway.start(withCache(db.gatewayArgs()));
        b = RunningGateway.start(withCache(db.gatewayArgs()));
    }

    private static String[] withCache(String[] args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--deployer.write-side.cached-machines=1000");
        return all.toArray(String[]::new);
    }

    @AfterAll
    static void stop() {
        b.close();
        a.close();
        db.close();
    }

    @Test
    void eachReplicaDecidesOnTheOthersWrites() {
        String id = a.post("/api/v1/bootstrap/discover", Hardware.clone("server-nvme-sata-usb", 7001)).json()
                .get("machineId").asText();
        String m = "/api/v1/machines/" + id;
        assertThat(a.post(m + "/inspect", null).status()).isEqualTo(202);
        assertThat(b.post(m + "/mark-failed", Map.of("reason", "replica b saw a fault")).status()).isEqualTo(202);
        RunningGateway.Response recovered = a.post(m + "/recover", null);
        assertThat(recovered.status()).as(recovered.toString()).isEqualTo(202);
        assertThat(recovered.json().get("state").asText()).isEqualTo("INSPECTED");
        assertThat(b.get(m + "/events").json()).hasSize(4);
        // and back: b cached the machine at mark-failed, a recovered it since
        RunningGateway.Response again = b.post(m + "/mark-failed", Map.of("reason", "b decides on a's recover"));
        assertThat(again.status()).as(again.toString()).isEqualTo(202);
        assertThat(again.json().get("state").asText()).isEqualTo("FAILED");
    }

    @Test
    void racingWritersOnTwoReplicasNeverBothWinAndTheLoserMayRetry() throws Exception {
        String id = a.post("/api/v1/bootstrap/discover", Hardware.clone("server-nvme-sata-usb", 7002)).json()
                .get("machineId").asText();
        String m = "/api/v1/machines/" + id;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<RunningGateway.Response>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            RunningGateway replica = i % 2 == 0 ? a : b;
            answers.add(pool.submit((Callable<RunningGateway.Response>) () ->
                    replica.post(m + "/inspect", null, Map.of("If-Match", "\"0\""))));
        }
        int accepted = 0;
        for (Future<RunningGateway.Response> f : answers) {
            RunningGateway.Response r = f.get();
            assertThat(r.status()).as(r.toString()).isIn(202, 409);
            if (r.status() == 202) {
                accepted++;
            } else {
                assertThat(r.json().get("type").asText()).endsWith("concurrent-modification");
                assertThat(r.json().get("retryable").asBoolean()).isTrue();
            }
        }
        pool.shutdown();
        assertThat(accepted).as("exactly one conditional write wins").isEqualTo(1);
        assertThat(a.get(m + "/events").json()).hasSize(2);
    }

    /**
     * Installers of one new machine booting at once, their discovers alternating replicas: one machine, one
     * MachineDiscovered, and every installer answered with it. A replica whose MachineDiscovered loses the race for
     * sequence 0 runs the discover again against the winner's (it answered 500 before: ReplicaConflictIT).
     */
    @Test
    void racingFirstDiscoversOfOneMachineOnTwoReplicasMakeOneMachine() throws Exception {
        Object hardware = Hardware.clone("server-nvme-sata-usb", 7300);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<RunningGateway.Response>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            RunningGateway replica = i % 2 == 0 ? a : b;
            answers.add(pool.submit((Callable<RunningGateway.Response>) () -> {
                go.await();
                return replica.post("/api/v1/bootstrap/discover", hardware);
            }));
        }
        go.countDown();
        Set<String> ids = new HashSet<>();
        for (Future<RunningGateway.Response> f : answers) {
            RunningGateway.Response r = f.get();
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            ids.add(r.json().get("machineId").asText());
        }
        pool.shutdown();
        assertThat(ids).hasSize(1);
        List<String> types = new ArrayList<>();
        a.get("/api/v1/machines/" + ids.iterator().next() + "/events").json().forEach(e -> types.add(e.get("type").asText()));
        assertThat(types).containsExactly("MachineDiscovered");
    }

    /**
     * Issue 14: many machines commissioned at once with the same hostname, spread over both replicas. The write
     * side claims the name in the transaction of the NodeAssigned event (ADR 0007): exactly one wins, every
     * other gets 409 hostname-taken naming the winner, and neither the event store nor the inventory ever holds
     * the name twice. Retiring the winner frees it for a loser.
     */
    @Test
    void concurrentCommissionsOnTwoReplicasNeverShareAHostname() throws Exception {
        int machines = 16;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < machines; i++) {
            String id = a.post("/api/v1/bootstrap/discover", Hardware.clone("server-nvme-sata-usb", 7100 + i)).json()
                    .get("machineId").asText();
            assertThat((i % 2 == 0 ? a : b).post("/api/v1/machines/" + id + "/inspect", null).status()).isEqualTo(202);
            ids.add(id);
        }
        List<RunningGateway.Response> answers = commissionAtOnce(ids, i -> "dup-1");
        List<String> winners = new ArrayList<>();
        for (int i = 0; i < machines; i++) {
            RunningGateway.Response r = answers.get(i);
            assertThat(r.status()).as(r.toString()).isIn(202, 409);
            if (r.status() == 202) {
                winners.add(ids.get(i));
            }
        }
        assertThat(winners).as("exactly one machine gets the hostname").hasSize(1);
        String winner = winners.get(0);
        for (int i = 0; i < machines; i++) {
            RunningGateway.Response r = answers.get(i);
            if (r.status() == 409) {
                assertThat(r.json().get("type").asText()).as(r.toString()).endsWith(":hostname-taken");
                assertThat(r.json().get("hostname").asText()).isEqualTo("dup-1");
                assertThat(r.json().get("heldBy").asText()).isEqualTo(winner);
                assertThat(r.json().get("machineId").asText()).isEqualTo(ids.get(i));
            }
        }
        assertThat(nodeAssignedWith("\"hostname\":\"dup-1\"")).as("NodeAssigned events naming dup-1").isEqualTo(1);
        assertThat(claimsOf("hostname", "dup-1")).containsExactly(winner);
        for (RunningGateway replica : List.of(a, b)) { // each replica's inventory, once it has folded the winner
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    replica.get("/api/v1/machines?q=dup-1&size=100").json().get("items").findValuesAsText("machineId"))
                    .containsExactly(winner));
        }

        // retiring the winner releases the name, on the other replica too
        assertThat(a.post("/api/v1/machines/" + winner + "/retire", null).status()).isEqualTo(202);
        String next = ids.get(winner.equals(ids.get(0)) ? 1 : 0);
        RunningGateway.Response taken = b.post("/api/v1/machines/" + next + "/commission",
                Map.of("nodeClass", "worker", "pool", "general", "hostname", "dup-1"));
        assertThat(taken.status()).as(taken.toString()).isEqualTo(202);
        assertThat(claimsOf("hostname", "dup-1")).containsExactly(next);
    }

    /**
     * One machine commissioned at once with a different hostname per request on both replicas: one command's
     * events win the machine's next sequence number; a loser that claimed its name before its append failed has
     * its claim rolled back with the events, so every losing name stays free.
     */
    @Test
    void aCommissionWhoseEventsLoseTheRaceLeavesNoClaimBehind() throws Exception {
        String id = a.post("/api/v1/bootstrap/discover", Hardware.clone("server-nvme-sata-usb", 7200)).json()
                .get("machineId").asText();
        assertThat(b.post("/api/v1/machines/" + id + "/inspect", null).status()).isEqualTo(202);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(id);
        }
        List<RunningGateway.Response> answers = commissionAtOnce(ids, i -> "race-" + i);
        List<String> won = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            RunningGateway.Response r = answers.get(i);
            assertThat(r.status()).as(r.toString()).isIn(202, 409);
            if (r.status() == 202) {
                won.add("race-" + i);
            } else { // a lost append (concurrent-modification) names the machine as a refusal does
                assertThat(r.json().get("machineId").asText()).as(r.toString()).isEqualTo(id);
            }
        }
        assertThat(won).hasSize(1);
        assertThat(claimsOfMachine(id)).containsExactlyInAnyOrder("hostname:" + won.get(0), "node-id:" + won.get(0));
        assertThat(nodeAssignedWith("\"hostname\":\"race-")).isEqualTo(1);
    }

    /** Commissions {@code ids.get(i)} with hostname {@code hostname(i)}, all at once, alternating replicas. */
    private static List<RunningGateway.Response> commissionAtOnce(List<String> ids,
                                                                   java.util.function.IntFunction<String> hostname)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(ids.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<RunningGateway.Response>> futures = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            RunningGateway replica = i % 2 == 0 ? a : b;
            String path = "/api/v1/machines/" + ids.get(i) + "/commission";
            Map<String, String> body = Map.of("nodeClass", "worker", "pool", "general", "hostname", hostname.apply(i));
            futures.add(pool.submit((Callable<RunningGateway.Response>) () -> {
                go.await();
                return replica.post(path, body);
            }));
        }
        go.countDown();
        List<RunningGateway.Response> answers = new ArrayList<>();
        for (Future<RunningGateway.Response> f : futures) {
            answers.add(f.get());
        }
        pool.shutdown();
        return answers;
    }

    private static int nodeAssignedWith(String fragment) throws Exception {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("select count(*) from domain_event_entry"
                + " where payload_type = 'com.ultracloud.deployer.machine.api.event.NodeAssigned'"
                + " and position(? in convert_from(payload, 'UTF8')) > 0")) {
            s.setString(1, fragment);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static List<String> claimsOf(String kind, String value) throws Exception {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(
                "select machine_id from node_claim where kind = ? and claimed_value = ?")) {
            s.setString(1, kind);
            s.setString(2, value);
            List<String> holders = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    holders.add(rs.getString(1));
                }
            }
            return holders;
        }
    }

    private static Set<String> claimsOfMachine(String machineId) throws Exception {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(
                "select kind, claimed_value from node_claim where machine_id = ?")) {
            s.setString(1, machineId);
            Set<String> claims = new HashSet<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    claims.add(rs.getString(1) + ":" + rs.getString(2));
                }
            }
            return claims;
        }
    }
}
