package com.ultracloud.deployer.gateway.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.ultracloud.deployer.gateway.PostgresDatabase;
import com.ultracloud.deployer.gateway.RunningGateway;
import com.ultracloud.deployer.machine.saga.InstallPlanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The install saga takes its machine before it writes the machine's secrets, as every command does. It used to store
 * them first and then send IssueInstallPlan: an operator's mark-failed of the same machine in between held the machine
 * and waited for those rows (its events revoke them in its transaction), the saga waited for the machine, and both sat
 * until Axon interrupted the saga after 30 s and dropped the install request's saga (ReplicaConflictIT: mark-failed and
 * retire answered after 31 s). Here the planner is held right after planning, as a busy saga is; the operator's
 * mark-failed must not wait for it, and the plan the failed machine refuses leaves no secrets behind.
 */
class InstallPlanLockOrderTest {

    @TempDir
    Path dataDir;

    /** Holds the gateway's planner once armed: right after it planned, until released (at most 20 s). */
    @Configuration(proxyBeanMethods = false)
    static class HeldPlanner {
        static volatile boolean armed;
        static final CountDownLatch PLANNED = new CountDownLatch(1);
        static final CountDownLatch RELEASE = new CountDownLatch(1);

        @Bean
        static BeanPostProcessor holdThePlanner() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if (!(bean instanceof InstallPlanner planner)) {
                        return bean;
                    }
                    return (InstallPlanner) (machine, round) -> {
                        InstallPlanner.Outcome outcome = planner.plan(machine, round);
                        if (armed) {
                            armed = false;
                            PLANNED.countDown();
                            try {
                                RELEASE.await(20, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        return outcome;
                    };
                }
            };
        }
    }

    @Test
    void anOperatorsCommandDoesNotWaitForTheSagaPlanningTheSameMachine() throws Exception {
        try (PostgresDatabase db = PostgresDatabase.create("plan_lock_order")) {
            List<String> args = new ArrayList<>(List.of(db.gatewayArgs()));
            args.addAll(List.of("--deployer.data-dir=" + dataDir, "--deployer.enrollment.automation=false"));
            try (RunningGateway gw = RunningGateway.startWith(List.of(HeldPlanner.class), args.toArray(String[]::new))) {
                LabIntent.importInto(gw);
                // a first install leaves the machine's secrets in sealed_secret: the rows a second plan replaces
                String id = Installs.requestInstall(gw, LabIntent.hardware("worker-1"), "worker", "general", "worker-1");
                String m = "/api/v1/machines/" + id;
                await().atMost(Duration.ofSeconds(30)).until(() -> types(gw, m).contains("InstallPlanIssued"));
                String firstPlan = planOfSecrets(db, id);
                assertThat(gw.post(m + "/mark-failed", Map.of("reason", "first round")).status()).isEqualTo(202);
                assertThat(gw.post(m + "/recover", null).json().get("state").asText()).isEqualTo("COMMISSIONED");

                HeldPlanner.armed = true;
                assertThat(gw.post(m + "/install", null).status()).isEqualTo(202);
                assertThat(HeldPlanner.PLANNED.await(30, TimeUnit.SECONDS)).as("the saga planned").isTrue();
                CompletableFuture<RunningGateway.Response> failed = CompletableFuture.supplyAsync(() ->
                        gw.post(m + "/mark-failed", Map.of("reason", "while the saga plans")));
                RunningGateway.Response answer;
                try {
                    answer = failed.get(10, TimeUnit.SECONDS);
                } finally {
                    HeldPlanner.RELEASE.countDown();
                }
                assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
                assertThat(answer.json().get("state").asText()).isEqualTo("FAILED");

                // the saga's plan came too late for the failed machine: refused, and nothing of it was kept
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    JsonNode saga = null;
                    for (JsonNode p : gw.get("/api/v1/admin/projections").json()) {
                        saga = "InstallSagaProcessor".equals(p.get("name").asText()) ? p : saga;
                    }
                    assertThat(saga).isNotNull();
                    assertThat(saga.path("lag").asLong(-1)).as(saga.toString()).isZero();
                });
                assertThat(types(gw, m).stream().filter("InstallPlanIssued"::equals)).hasSize(1);
                assertThat(planOfSecrets(db, id)).isEqualTo(firstPlan);
            }
        }
    }

    private static List<String> types(RunningGateway gw, String machine) {
        List<String> types = new ArrayList<>();
        for (JsonNode e : gw.get(machine + "/events").json()) {
            types.add(e.get("type").asText());
        }
        return types;
    }

    private static String planOfSecrets(PostgresDatabase db, String machineId) throws Exception {
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("select plan_id from sealed_secret where machine_id = ?")) {
            s.setString(1, machineId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
