package com.ultracloud.deployer.gateway.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.gateway.Hardware;
import com.ultracloud.deployer.gateway.RunningGateway;
import com.ultracloud.deployer.gateway.readpath.MachineSignals;
import com.ultracloud.deployer.projection.inventory.InventoryProjection;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Read your writes and no waiting on timers (issue 9, points 2 and 4), over HTTP on the embedded default:
 * commands answer the version they produced; reads with {@code minVersion} answer at once when the read model
 * has it, after a wait when it gets it, 503 with Retry-After when it does not (the inventory processor stopped),
 * 400 for a bad value or one no command answered; the discover
 * long-poll answers as soon as the plan is issued; and waiting requests hold no servlet thread (Tomcat here has
 * four).
 */
class ReadYourWritesTest {

    private static final int TOMCAT_THREADS = 4;
    // long enough that a processor restarted on a loaded CI machine folds before the deadline; under the
    // test client's 30 s request timeout
    private static final Duration MIN_VERSION_WAIT = Duration.ofSeconds(20);
    private static final AtomicInteger MACHINES = new AtomicInteger(9100);

    @TempDir
    static Path dataDir;
    static RunningGateway gw;

    @BeforeAll
    static void start() {
        gw = LabIntent.start("--deployer.data-dir=" + dataDir, "--server.tomcat.threads.max=" + TOMCAT_THREADS,
                "--server.tomcat.threads.min-spare=1", "--deployer.read.min-version-wait=" + MIN_VERSION_WAIT.toSeconds() + "s");
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    /** A new machine, discovered: its id and the version discover answered. */
    private static String[] discovered() {
        RunningGateway.Response r = gw.post("/api/v1/bootstrap/discover", Hardware.clone("server-nvme-sata-usb",
                MACHINES.incrementAndGet()));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("version").asLong()).as(r.toString()).isZero();
        return new String[]{r.json().get("machineId").asText(), r.json().get("version").asText()};
    }

    @Test
    void anActionAnswersItsVersionAndEveryReadWithItSeesTheAction() {
        String id = discovered()[0];
        String m = "/api/v1/machines/" + id;

        RunningGateway.Response inspected = gw.post(m + "/inspect", null);
        assertThat(inspected.status()).as(inspected.toString()).isEqualTo(202);
        long version = inspected.json().get("version").asLong();
        assertThat(version).isPositive();
        assertThat(inspected.etag()).isEqualTo("\"" + version + "\"");

        RunningGateway.Response detail = gw.get(m + "?minVersion=" + version);
        assertThat(detail.status()).as(detail.toString()).isEqualTo(200);
        assertThat(detail.json().get("version").asLong()).isGreaterThanOrEqualTo(version);
        assertThat(detail.json().get("state").asText()).isIn("INSPECTED", "FAILED");
        assertThat(gw.get(m + "?minVersion=" + version + "&consistent=true").json().get("version").asLong())
                .isGreaterThanOrEqualTo(version);

        RunningGateway.Response page = gw.get("/api/v1/machines?size=500&minVersion=" + version + "&machineId=" + id);
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        List<String> states = new ArrayList<>();
        page.json().get("items").forEach(i -> {
            if (i.get("machineId").asText().equals(id)) {
                states.add(i.get("state").asText());
            }
        });
        assertThat(states).containsExactly(detail.json().get("state").asText());

        // no plan at that version: the 404 comes at once, without waiting for minVersion's wait
        long before = System.nanoTime();
        RunningGateway.Response plan = gw.get(m + "/install-plan?minVersion=" + version);
        assertThat(plan.status()).as(plan.toString()).isEqualTo(404);
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(MIN_VERSION_WAIT.dividedBy(2));

        RunningGateway.Response state = gw.get(m + "/state?at=0&minVersion=" + version);
        assertThat(state.status()).as(state.toString()).isEqualTo(200);
        assertThat(state.json().get("version").asLong()).isZero();
    }

    /** The inventory processor, stopped while {@code whileBehind} runs: the read side falls behind on purpose. */
    private static StreamingEventProcessor inventory() {
        return gw.bean(EventProcessingConfiguration.class)
                .eventProcessor(InventoryProjection.PROCESSING_GROUP, StreamingEventProcessor.class).orElseThrow();
    }

    @Test
    void aReadWaitsForTheVersionItAsksForAndAnswersOnceTheProjectionHasIt() throws Exception {
        String[] machine = discovered();
        String m = "/api/v1/machines/" + machine[0];
        StreamingEventProcessor inventory = inventory();
        CompletableFuture<RunningGateway.Response> waiting;
        inventory.shutDown();
        try {
            long version = gw.post(m + "/inspect", null).json().get("version").asLong();
            waiting = CompletableFuture.supplyAsync(() -> gw.get(m + "?minVersion=" + version));
            MachineSignals signals = gw.bean(MachineSignals.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> signals.waiting(machine[0]) >= 1);
            assertThat(waiting).isNotDone();
        } finally {
            inventory.start();
        }
        long before = System.nanoTime();
        RunningGateway.Response detail = waiting.get(MIN_VERSION_WAIT.toSeconds() + 10, TimeUnit.SECONDS);
        assertThat(detail.status()).as(detail.toString()).isEqualTo(200);
        assertThat(detail.json().get("state").asText()).isIn("INSPECTED", "FAILED");
        assertThat(Duration.ofNanos(System.nanoTime() - before)).as("answered by the fold, not by the deadline")
                .isLessThan(MIN_VERSION_WAIT.dividedBy(2));
    }

    @Test
    void aVersionTheProjectionDoesNotReachIs503WithRetryAfterAndReachedOnceItCatchesUp() throws Exception {
        String[] machine = discovered();
        String m = "/api/v1/machines/" + machine[0];
        // the inventory itself must hold the machine before it is stopped (a plain GET falls back to the event store)
        await().atMost(Duration.ofSeconds(60)).until(() -> gw.get(m + "?minVersion=" + machine[1]).status() == 200);
        StreamingEventProcessor inventory = inventory();
        long version;
        inventory.shutDown(); // the read side falls behind
        try {
            RunningGateway.Response inspected = gw.post(m + "/inspect", null);
            assertThat(inspected.status()).as(inspected.toString()).isEqualTo(202);
            version = inspected.json().get("version").asLong();
            for (String path : List.of(m + "?minVersion=" + version,
                    "/api/v1/machines?minVersion=" + version + "&machineId=" + machine[0])) {
                RunningGateway.Response r = gw.get(path);
                assertThat(r.status()).as(path + " " + r).isEqualTo(503);
                assertThat(r.isProblem()).isTrue();
                assertThat(r.header("Retry-After")).hasValue("1");
                assertThat(r.json().get("minVersion").asLong()).isEqualTo(version);
                assertThat(r.json().get("currentVersion").asLong()).isLessThan(version);
                assertThat(r.json().get("retryable").asBoolean()).isTrue();
            }
            // the event store has it at once
            assertThat(gw.get(m + "?consistent=true&minVersion=" + version).status()).isEqualTo(200);
            assertThat(gw.get(m + "/state?at=0&minVersion=" + version).status()).isEqualTo(200);
        } finally {
            inventory.start();
        }
        long reached = version;
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            RunningGateway.Response caughtUp = gw.get(m + "?minVersion=" + reached);
            assertThat(caughtUp.status()).as(caughtUp.toString()).isEqualTo(200);
            assertThat(caughtUp.json().get("version").asLong()).isGreaterThanOrEqualTo(reached);
        });
    }

    @Test
    void aVersionNoCommandAnsweredIs400AndAnUnknownMachine404() {
        String[] machine = discovered();
        String m = "/api/v1/machines/" + machine[0];
        long far = Long.parseLong(machine[1]) + 50;
        for (String path : List.of(m + "?minVersion=" + far, m + "?consistent=true&minVersion=" + far,
                m + "/install-plan?minVersion=" + far, m + "/state?at=0&minVersion=" + far,
                "/api/v1/machines?minVersion=" + far + "&machineId=" + machine[0])) {
            RunningGateway.Response r = gw.get(path);
            assertThat(r.status()).as(path + " " + r).isEqualTo(400);
            assertThat(r.json().get("errors").toString()).contains("minVersion", "no command has answered version " + far);
        }
        String unknown = "/api/v1/machines/" + java.util.UUID.randomUUID();
        for (String path : List.of(unknown + "?minVersion=0", unknown + "/install-plan?minVersion=0",
                "/api/v1/machines?minVersion=0&machineId=" + unknown.substring(unknown.lastIndexOf('/') + 1))) {
            assertThat(gw.get(path).status()).as(path).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"minVersion=-1", "minVersion=abc", "minVersion=1.5", "minVersion=", "minVersion=1&minVersion=2",
            "minVersion=99999999999999999999"})
    void aBadMinVersionIs400(String query) {
        String id = discovered()[0];
        for (String path : List.of("/api/v1/machines/" + id + "?" + query, "/api/v1/machines/" + id + "/install-plan?" + query,
                "/api/v1/machines/" + id + "/state?at=0&" + query, "/api/v1/machines?machineId=" + id + "&" + query)) {
            RunningGateway.Response r = gw.get(path);
            assertThat(r.status()).as(path + " " + r).isEqualTo(400);
            assertThat(r.isProblem()).isTrue();
            assertThat(r.json().get("errors").toString()).contains("minVersion");
        }
        RunningGateway.Response alone = gw.get("/api/v1/machines?minVersion=3");
        assertThat(alone.status()).as(alone.toString()).isEqualTo(400);
        assertThat(alone.json().get("errors").toString()).contains("machineId");
    }

    @Test
    void discoverLongPollAnswersAsSoonAsThePlanIsIssued() throws Exception {
        ObjectNode facts = LabIntent.hardware("worker-2");
        String id = Installs.discover(gw, facts);
        String m = "/api/v1/machines/" + id;
        assertThat(gw.post(m + "/inspect", null).status()).isEqualTo(202);
        Map<String, Object> assignment = new HashMap<>(Map.of("nodeClass", "worker", "pool", "general",
                "hostname", "worker-2", "nodeId", "worker-2"));
        RunningGateway.Response commissioned = gw.post(m + "/commission", assignment);
        assertThat(commissioned.status()).as(commissioned.toString()).isEqualTo(202);

        Duration wait = Duration.ofSeconds(20); // the test client gives up on a request after 30 s
        long before = System.nanoTime();
        CompletableFuture<RunningGateway.Response> polling = CompletableFuture.supplyAsync(() ->
                gw.post("/api/v1/bootstrap/discover?wait=" + wait.toSeconds() + "s", facts));
        MachineSignals signals = gw.bean(MachineSignals.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> signals.waiting(id) >= 1);
        assertThat(polling).isNotDone();

        RunningGateway.Response install = gw.post(m + "/install", Map.of("attemptLimit", 2));
        assertThat(install.status()).as(install.toString()).isEqualTo(202);

        RunningGateway.Response answer = polling.get(wait.toSeconds() + 10, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - before);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.json().get("instruction").asText()).as(answer.toString()).isEqualTo("install");
        assertThat(answer.json().get("installToken").asText()).isNotBlank();
        assertThat(took).as("answered when the plan was issued, not at the end of the wait").isLessThan(wait.dividedBy(2));

        // the token works, and the plan's read model can be read at the version the progress answers lead to
        RunningGateway.Response plan = Installs.fetchPlan(gw, answer.json().get("installToken").asText(), "?wait=10s");
        assertThat(plan.status()).as(plan.toString()).isEqualTo(200);
        long version = gw.get(m + "?consistent=true").json().get("version").asLong();
        RunningGateway.Response view = gw.get(m + "/install-plan?minVersion=" + version);
        assertThat(view.status()).as(view.toString()).isEqualTo(200);
        assertThat(view.json().get("status").asText()).isEqualTo("installing");
        assertThat(view.json().get("version").asLong()).isGreaterThanOrEqualTo(version);
    }

    @Test
    void aDiscoverLongPollWithNothingToChangeAnswersWaitAtTheEndOfItsWait() {
        String[] machine = discovered();
        long before = System.nanoTime();
        RunningGateway.Response r = gw.post("/api/v1/bootstrap/discover?wait=1500ms",
                Hardware.clone("server-nvme-sata-usb", MACHINES.get()));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("machineId").asText()).isEqualTo(machine[0]);
        assertThat(r.json().get("instruction").asText()).isEqualTo("wait");
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
    }

    @Test
    void waitingReadsHoldNoServletThread() throws Exception {
        String[] machine = discovered();
        String m = "/api/v1/machines/" + machine[0];
        int waiters = TOMCAT_THREADS * 4;
        MachineSignals signals = gw.bean(MachineSignals.class);
        StreamingEventProcessor inventory = inventory();
        List<CompletableFuture<RunningGateway.Response>> reads = new ArrayList<>();
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(waiters);
        inventory.shutDown();
        try {
            long version = gw.post(m + "/inspect", null).json().get("version").asLong();
            for (int i = 0; i < waiters; i++) {
                reads.add(CompletableFuture.supplyAsync(() -> gw.get(m + "?minVersion=" + version), clients));
            }
            await().atMost(MIN_VERSION_WAIT.dividedBy(2)).until(() -> signals.waiting(machine[0]) >= waiters);
            // all four Tomcat threads would be parked by now if waiting held them: these could not be served
            for (int i = 0; i < TOMCAT_THREADS; i++) {
                RunningGateway.Response meanwhile = gw.get(m + "?consistent=true");
                assertThat(meanwhile.status()).as(meanwhile.toString()).isEqualTo(200);
            }
            assertThat(reads).noneMatch(CompletableFuture::isDone);
        } finally {
            inventory.start();
        }
        for (CompletableFuture<RunningGateway.Response> read : reads) {
            RunningGateway.Response r = read.get(MIN_VERSION_WAIT.toSeconds() + 10, TimeUnit.SECONDS);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
        }
        clients.shutdown();
    }
}
