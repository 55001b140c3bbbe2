package com.ultracloud.deployer.gateway.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.gateway.RunningGateway;
import com.ultracloud.deployer.machine.api.event.MachineDiscovered;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /api/v1/admin/projections/{name}/replay} never leaves a processor stopped: a saga
 * processor is refused before it is touched, and a replay whose reset fails restarts the processor
 * where it was.
 */
class ProcessorReplayTest {

    static final String SAGA = "InstallSagaProcessor";
    static final String FAILING = "test-failing-reset";

    @TempDir
    static Path dataDir;
    static RunningGateway gw;

    @BeforeAll
    static void start() {
        gw = RunningGateway.startWith(List.of(FailingResetConfig.class), "--deployer.data-dir=" + dataDir,
                "--deployer.enrollment.automation=false");
        LabIntent.importInto(gw);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void replayingTheInstallSagaIsRefusedWith409AndTheSagaKeepsPlanningInstalls() {
        RunningGateway.Response r = gw.post("/api/v1/admin/projections/" + SAGA + "/replay", null);

        assertThat(r.status()).as(r.toString()).isEqualTo(409);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("type").asText()).isEqualTo("urn:ultracloud:problem:replay-not-supported");
        assertThat(r.json().get("detail").asText()).contains(SAGA).contains("saga").contains("inventory");
        assertThat(r.json().get("processor").asText()).isEqualTo(SAGA);
        assertThat(processor(SAGA).get("running").asBoolean()).isTrue();

        // the saga still works: a new install request gets its plan and token
        ObjectNode facts = LabIntent.hardware("cp-2");
        Installs.requestInstall(gw, facts, "control-plane", "control-plane", "cp-2");
        assertThat(Installs.awaitToken(gw, facts)).isNotBlank();
    }

    @Test
    void aReplayWhoseResetFailsIsA409AndTheProcessorRunsOnFromWhereItWas() {
        ObjectNode first = LabIntent.hardware("worker-1");
        Installs.discover(gw, first);
        await().atMost(Duration.ofSeconds(30)).until(() -> FailingReset.handled.get() >= 1
                && processor(FAILING).path("segments").path(0).path("position").asLong(-1) >= 0);
        long before = processor(FAILING).path("segments").path(0).path("position").asLong();

        RunningGateway.Response r = gw.post("/api/v1/admin/projections/" + FAILING + "/replay", null);

        assertThat(r.status()).as(r.toString()).isEqualTo(409);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("type").asText()).isEqualTo("urn:ultracloud:problem:replay-failed");
        assertThat(r.json().get("detail").asText()).contains("the test read model refuses to be cleared")
                .contains("restarted at its previous position");
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode status = processor(FAILING);
            assertThat(status.get("running").asBoolean()).isTrue();
            assertThat(status.get("replaying").asBoolean()).isFalse();
            // no segment is listed until the restarted processor claims it again
            assertThat(status.path("segments").path(0).path("position").asLong(-1)).isGreaterThanOrEqualTo(before);
        });

        // it handles new events again, from where it was (nothing was handled twice)
        int handled = FailingReset.handled.get();
        Installs.discover(gw, LabIntent.hardware("worker-2"));
        await().atMost(Duration.ofSeconds(30)).until(() -> FailingReset.handled.get() == handled + 1);
    }

    private static JsonNode processor(String name) {
        for (JsonNode p : gw.get("/api/v1/admin/projections").json()) {
            if (name.equals(p.get("name").asText())) {
                return p;
            }
        }
        throw new AssertionError("no processor " + name + " in " + gw.get("/api/v1/admin/projections"));
    }

    @Configuration(proxyBeanMethods = false)
    static class FailingResetConfig {
        @Bean
        FailingReset failingReset() {
            return new FailingReset();
        }
    }

    /** A read model whose reset handler throws, as a broken projection's would. */
    @ProcessingGroup(FAILING)
    static class FailingReset {
        static final AtomicInteger handled = new AtomicInteger();

        @EventHandler
        void on(MachineDiscovered event) {
            handled.incrementAndGet();
        }

        @ResetHandler
        void reset() {
            throw new IllegalStateException("the test read model refuses to be cleared");
        }
    }
}
