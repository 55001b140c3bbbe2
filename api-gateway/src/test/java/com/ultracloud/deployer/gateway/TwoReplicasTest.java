package com.ultracloud.deployer.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

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
}
