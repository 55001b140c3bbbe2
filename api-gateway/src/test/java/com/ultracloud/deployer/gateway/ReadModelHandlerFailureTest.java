package com.ultracloud.deployer.gateway;

import com.ultracloud.deployer.machine.api.event.MachineEvent;
import com.ultracloud.deployer.projection.inventory.InventoryProjection;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A read model's handler that throws does not lose the event: its batch rolls back and is handled again from the
 * processor's token (AxonConfig.READ_MODELS), where Axon's default error handler would log and skip it. The probe
 * joins the inventory's processing group and fails the first event it is given, as a transient fault would.
 */
class ReadModelHandlerFailureTest {

    /** In the inventory's group: the same batches, the same error policy. */
    @ProcessingGroup(InventoryProjection.PROCESSING_GROUP)
    public static class FailsOnce {
        final AtomicInteger deliveries = new AtomicInteger();
        final Set<String> handled = ConcurrentHashMap.newKeySet();

        @EventHandler
        void on(MachineEvent event) {
            if (deliveries.incrementAndGet() == 1) {
                throw new IllegalStateException("a transient fault in a read model's handler");
            }
            handled.add(event.machineId().toString());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ProbeConfig {
        @Bean
        FailsOnce failsOnce() {
            return new FailsOnce();
        }
    }

    @Test
    void aHandlerThatThrowsHasItsBatchHandledAgainAndTheReadModelMissesNothing(@TempDir Path dir) {
        try (RunningGateway gw = RunningGateway.startWith(List.of(ProbeConfig.class), "--deployer.data-dir=" + dir)) {
            String id = gw.post("/api/v1/bootstrap/discover", Hardware.clone("server-nvme-sata-usb", 1)).json()
                    .get("machineId").asText();
            FailsOnce probe = gw.bean(FailsOnce.class);

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(probe.handled).as("the machine's events, handled after the failure").contains(id));
            assertThat(probe.deliveries.get()).as("the failed event was delivered again").isGreaterThan(1);
            // the inventory folded the retried batch once: the machine is listed, and counted, once
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                var page = gw.get("/api/v1/machines?size=10").json();
                assertThat(page.get("total").asInt()).isEqualTo(1);
                assertThat(page.get("items").get(0).get("machineId").asText()).isEqualTo(id);
            });
            assertThat(gw.get("/api/v1/machines/" + id).status()).isEqualTo(200);
        }
    }
}
