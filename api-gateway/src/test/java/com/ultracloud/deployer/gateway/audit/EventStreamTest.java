package com.ultracloud.deployer.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.gateway.Hardware;
import com.ultracloud.deployer.gateway.RunningGateway;
import com.ultracloud.deployer.gateway.bootstrap.Installs;
import com.ultracloud.deployer.machine.api.event.MachineDiscovered;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /api/v1/events/stream} (issue 12): live events; an event committed after later ones; resuming with
 * {@code Last-Event-ID} across the seam between the store and the live stream while other threads append, with no
 * event missed or repeated; the filters; and a client that stops reading, which neither slows the commands nor holds
 * back another client and is cut off with the id to resume from. The gateway runs with a 20-event client buffer so
 * that paging and cut-offs happen at test sizes. {@link PostgresEventStreamTest} runs the same on PostgreSQL.
 */
class EventStreamTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dataDir;
    static RunningGateway gw;
    static int port;
    static final AtomicInteger machines = new AtomicInteger(3_000);

    @BeforeAll
    static void start() {
        startGateway("--deployer.data-dir=" + dataDir);
    }

    /** The gateway under test with the stream's test settings; {@code storage} says where it keeps its events. */
    static void startGateway(String... storage) {
        List<String> args = new ArrayList<>(List.of(storage));
        args.addAll(List.of("--deployer.events.stream.client-buffer=20", "--deployer.events.stream.heartbeat=1s",
                "--deployer.events.stream.stall-timeout=30s"));
        gw = RunningGateway.startWith(List.of(SmallSendBuffers.class), args.toArray(String[]::new));
        port = URI.create(gw.baseUrl()).getPort();
        for (int i = 0; i < 5; i++) {
            discover();
        }
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    /**
     * 8 KiB socket send buffers: Linux otherwise grows a loopback connection's buffer to megabytes, and a stalled
     * client would take thousands of events to back up into the server's queue.
     */
    @TestConfiguration(proxyBeanMethods = false)
    static class SmallSendBuffers {
        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> smallSendBuffers() {
            return factory -> factory.addConnectorCustomizers(c -> c.setProperty("socket.txBufSize", "8192"));
        }
    }

    static String discover() {
        return Installs.discover(gw, Hardware.clone("server-nvme-sata-usb", machines.incrementAndGet()));
    }

    static SseConnection open(String query, Map<String, String> headers, int receiveBuffer) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("Authorization", "Bearer " + gw.token());
        SseConnection c = SseConnection.open(port, "/api/v1/events/stream" + query, all, receiveBuffer);
        assertThat(c.status).isEqualTo(200);
        assertThat(c.contentType).startsWith("text/event-stream");
        return c;
    }

    static SseConnection resume(String lastEventId) {
        return open("", Map.of("Last-Event-ID", lastEventId), 0);
    }

    static List<Long> storePositions(long from) {
        return gw.bean(JdbcTemplate.class).queryForList(
                "select global_index from domain_event_entry where global_index >= ? order by global_index", Long.class, from);
    }

    static long head() {
        Long max = gw.bean(JdbcTemplate.class).queryForObject("select max(global_index) from domain_event_entry", Long.class);
        return max == null ? 0 : max;
    }

    /** What a client has read: positions in arrival order, and the id to resume from. */
    static final class Received {
        final List<Long> positions = new ArrayList<>();
        String lastId;
        int resumes;

        Received(String from) {
            lastId = from;
        }

        /** Reads up to {@code max} events; false when the stream ended (closed, or cut off with the resume hint). */
        boolean read(SseConnection c, int max) {
            for (int i = 0; i < max; i++) {
                SseConnection.Frame f = c.nextEvent(WAIT);
                if (f == null) {
                    return false;
                }
                if (f.event().equals("resume")) {
                    assertThat(f.json().get("lastEventId").asText()).as("the resume hint names the last id sent").isEqualTo(lastId);
                    resumes++;
                    return false;
                }
                positions.add(f.position());
                lastId = f.id();
            }
            return true;
        }

        /** Reads, reconnecting from the last id whenever the stream ends, until it has every position in {@code want}. */
        void readUntil(List<Long> want) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!positions.containsAll(want)) {
                assertThat(System.nanoTime()).as("caught up in time; have %s of %s", positions.size(), want.size()).isLessThan(deadline);
                try (SseConnection c = resume(lastId)) {
                    while (!positions.containsAll(want) && read(c, 1)) {
                        // one frame at a time until it has all it wants
                    }
                }
            }
        }
    }

    @Test
    void eventsArriveLiveWithPositionTypeAndMetadataAndHeartbeatsWhenIdle() {
        try (SseConnection c = open("", Map.of(), 0)) {
            SseConnection.Frame joined = c.next(WAIT);
            assertThat(joined.heartbeat()).as("the first frame says where the stream stands").isTrue();
            assertThat(Long.parseLong(joined.id())).isLessThanOrEqualTo(head());
            String machine = discover();
            SseConnection.Frame f = c.nextEvent(WAIT);
            while (!machine.equals(f.json().path("aggregateId").asText())) {
                f = c.nextEvent(WAIT);
            }
            JsonNode data = f.json();
            assertThat(f.event()).isEqualTo("MachineDiscovered");
            assertThat(data.get("type").asText()).isEqualTo("MachineDiscovered");
            assertThat(data.get("aggregateType").asText()).isEqualTo("Machine");
            assertThat(f.id()).isEqualTo(data.get("position").asText());
            assertThat(data.get("sequence").asLong()).isZero();
            assertThat(data.at("/metadata/principal").asText()).startsWith("installer@");
            assertThat(data.at("/metadata/correlationId").isTextual()).isTrue();
            assertThat(data.has("payloadType")).as("no Java class names").isFalse();
            // nothing else happens: a heartbeat comment within the 1 s heartbeat (and a bit)
            SseConnection.Frame idle = c.next(Duration.ofSeconds(5));
            while (!idle.heartbeat()) {
                idle = c.next(Duration.ofSeconds(5));
            }
            assertThat(idle.heartbeat()).isTrue();
        }
    }

    @Test
    void resumingWithLastEventIdMissesNoneAndRepeatsNoneAcrossTheSeamUnderConcurrentAppends() throws Exception {
        long first = head() + 1;
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService appenders = Executors.newFixedThreadPool(3);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            running.add(appenders.submit(() -> {
                while (!stop.get()) {
                    discover();
                }
            }));
        }
        Received got = new Received(String.valueOf(first - 1));
        Random random = new Random(12);
        try {
            await().atMost(WAIT).until(() -> head() > first + 30);
            for (int connection = 0; connection < 8; connection++) {
                // read a few events, then drop the connection mid-stream (in catch-up or live) and resume
                try (SseConnection c = resume(got.lastId)) {
                    got.read(c, 3 + random.nextInt(30));
                }
            }
        } finally {
            stop.set(true);
            appenders.shutdown();
        }
        for (Future<?> f : running) {
            f.get(30, TimeUnit.SECONDS);
        }
        List<Long> store = storePositions(first);
        got.readUntil(store);
        assertThat(got.positions).as("no event twice").doesNotHaveDuplicates();
        assertThat(got.positions.stream().sorted().toList()).as("every event of the store, nothing else").isEqualTo(store);
        assertThat(store.size()).as("appends went on while the client read").isGreaterThan(60);
    }

    @Test
    void anEventCommittedAfterLaterOnesIsDeliveredOnceWhenItCommitsAndTheIdNamesItUntilThen() throws Exception {
        // a transaction takes a position, then holds it open while two discovers commit after it
        String lateId = UUID.randomUUID().toString();
        ObjectNode payload = (ObjectNode) gw.get("/api/v1/machines/" + discover() + "/events").json().get(0).get("payload");
        payload.put("machineId", lateId).put("fingerprint", "smbios:late-" + lateId);
        MachineDiscovered event = gw.bean(ObjectMapper.class).treeToValue(payload, MachineDiscovered.class);
        CountDownLatch appended = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService holder = Executors.newSingleThreadExecutor();
        try (SseConnection c = open("", Map.of(), 0)) {
            assertThat(c.next(WAIT).heartbeat()).isTrue();
            Future<?> late = holder.submit(() -> new TransactionTemplate(gw.bean(PlatformTransactionManager.class)).executeWithoutResult(tx -> {
                gw.bean(EventStorageEngine.class).appendEvents(new GenericDomainEventMessage<>("Machine", lateId, 0L, event,
                        MetaData.with("principal", "test:late-commit")));
                appended.countDown();
                try {
                    assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
            assertThat(appended.await(30, TimeUnit.SECONDS)).isTrue();
            String first = discover();
            String second = discover();
            SseConnection.Frame a = nextOf(c, first);
            SseConnection.Frame b = nextOf(c, second);
            assertThat(a.id()).as("the id names the position still open below it").matches(a.position() + ":\\d+");
            long gap = Long.parseLong(a.id().split(":")[1]);
            assertThat(b.id()).isEqualTo(b.position() + ":" + gap);

            release.countDown();
            late.get(30, TimeUnit.SECONDS);
            SseConnection.Frame l = c.nextEvent(WAIT);
            assertThat(l.json().get("aggregateId").asText()).isEqualTo(lateId);
            assertThat(l.position()).isEqualTo(gap);
            assertThat(l.id()).as("no gap open any more").isEqualTo(String.valueOf(b.position()));

            // a client that had read up to the first discover resumes: the late event and the second, once each
            Received again = new Received(a.id());
            again.readUntil(List.of(gap, b.position()));
            assertThat(again.positions).containsExactly(gap, b.position());
        } finally {
            release.countDown();
            holder.shutdownNow();
        }
    }

    /** The next frame about {@code machine}, skipping others (another test's discovers may be in flight). */
    private static SseConnection.Frame nextOf(SseConnection c, String machine) {
        for (SseConnection.Frame f = c.nextEvent(WAIT); ; f = c.nextEvent(WAIT)) {
            assertThat(f).isNotNull();
            if (machine.equals(f.json().path("aggregateId").asText())) {
                return f;
            }
        }
    }

    @Test
    void filtersByMachineAggregateTypeAndEventType() throws Exception {
        String machine = discover();
        gw.post("/api/v1/machines/" + machine + "/inspect", null);
        List<JsonNode> all = new ArrayList<>();
        for (String line : gw.get("/api/v1/events?format=jsonl&limit=10000").body().split("\n")) {
            all.add(SseConnection.JSON.readTree(line));
        }
        assertFilter("?machine=" + machine, all.stream().filter(e -> machine.equals(e.path("aggregateId").asText())).toList());
        assertFilter("?type=MachineInspected,ClusterIntentImported&type=MachineDiscovered", all.stream()
                .filter(e -> List.of("MachineInspected", "MachineDiscovered", "ClusterIntentImported").contains(e.get("type").asText()))
                .toList());
        assertFilter("?aggregateType=Machine&type=MachineInspected", all.stream()
                .filter(e -> e.get("type").asText().equals("MachineInspected")).toList());

        RunningGateway.Response typo = gw.get("/api/v1/events/stream?type=MachineDiscoverd");
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.isProblem()).isTrue();
        assertThat(typo.json().at("/errors/0/field").asText()).isEqualTo("type");
        assertThat(gw.get("/api/v1/events/stream?aggregateType=Rack").json().at("/errors/0/field").asText())
                .isEqualTo("aggregateType");
        // as a browser's EventSource asks: the refusal is still a problem, not a 406
        RunningGateway.Response asBrowser = gw.get("/api/v1/events/stream?type=Nope", Map.of("Accept", "text/event-stream"));
        assertThat(asBrowser.status()).isEqualTo(400);
        assertThat(asBrowser.isProblem()).as(asBrowser.toString()).isTrue();
        assertThat(gw.get("/api/v1/events/stream", Map.of("Accept", "application/json")).status())
                .as("a client that takes only JSON is told at once").isEqualTo(406);
        RunningGateway.Response badId = gw.get("/api/v1/events/stream", Map.of("Last-Event-ID", "forty-two"));
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.json().at("/errors/0/field").asText()).isEqualTo("Last-Event-ID");
    }

    private static void assertFilter(String query, List<JsonNode> expected) {
        assertThat(expected).as(query + " selects something").isNotEmpty();
        try (SseConnection c = open(query, Map.of("Last-Event-ID", "0"), 0)) {
            List<String> got = new ArrayList<>();
            while (got.size() < expected.size()) {
                SseConnection.Frame f = c.nextEvent(WAIT);
                assertThat(f).as(query + " after " + got.size()).isNotNull();
                got.add(f.position() + " " + f.event());
            }
            assertThat(got).as(query).isEqualTo(expected.stream().map(e -> e.get("position").asLong() + " "
                    + e.get("type").asText()).toList());
            SseConnection.Frame next = c.next(Duration.ofSeconds(5));
            assertThat(next.heartbeat()).as(query + ": nothing more than the filter selects").isTrue();
        }
    }

    @Test
    void aStalledClientDoesNotSlowCommandsNorOtherClientsAndIsCutOffWithTheResumeHint() throws Exception {
        EventStream stream = gw.bean(EventStream.class);
        int batch = 30;
        long baseline = timeDiscovers(batch);
        long cutOffsBefore = stream.cutOffs();
        long first = head() + 1;
        List<SseConnection.Frame> healthyFrames = new CopyOnWriteArrayList<>();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try (SseConnection healthy = open("", Map.of(), 0);
             SseConnection stalled = open("", Map.of(), 2_048)) {
            // the first frame, a heartbeat, is sent once a client has joined: both take events from here on
            assertThat(healthy.next(WAIT).heartbeat()).isTrue();
            assertThat(stalled.next(WAIT).heartbeat()).isTrue();
            reader.submit(() -> {
                for (SseConnection.Frame f = healthy.nextEvent(WAIT); f != null; f = healthy.nextEvent(WAIT)) {
                    healthyFrames.add(f);
                }
                return null;
            });
            long whileFilling = timeDiscovers(batch);
            // the stalled client reads nothing: its socket fills, then its 20-event queue, then it is cut off
            AtomicInteger filling = new AtomicInteger();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                discover();
                filling.incrementAndGet();
                return stream.cutOffs() > cutOffsBefore;
            });
            System.out.printf("EventStreamTest: the stalled client was cut off after %d more discovers%n", filling.get());
            long whileCutOff = timeDiscovers(batch);
            String last = discover();
            System.out.printf("EventStreamTest: %d discovers took %d ms with no stream client, %d ms while a stalled "
                    + "client filled up, %d ms after it was cut off%n", batch, baseline, whileFilling, whileCutOff);
            assertThat(whileFilling).as("commands with a stalled client (ms; baseline %d)", baseline).isLessThan(3 * baseline + 2_000);
            assertThat(whileCutOff).as("commands with a cut-off client (ms; baseline %d)", baseline).isLessThan(3 * baseline + 2_000);
            await("the healthy client got the last event").atMost(WAIT).until(() -> healthyFrames.stream()
                    .anyMatch(f -> last.equals(f.json().path("aggregateId").asText())));
            assertThat(healthyFrames).noneMatch(f -> f.event().equals("resume"));

            // the stalled client reads again: what was queued, the resume hint, the end of the stream
            Received got = new Received(null);
            assertThat(got.read(stalled, 100_000)).isFalse();
            assertThat(got.resumes).as("cut off with the resume hint").isEqualTo(1);
            assertThat(got.positions).isNotEmpty();
            assertThat(got.positions.get(0)).isGreaterThanOrEqualTo(first);
            // resuming from the hint's id gets everything after it: no gap, no repeat
            List<Long> store = storePositions(got.positions.get(0));
            got.readUntil(store);
            assertThat(got.positions).doesNotHaveDuplicates();
            assertThat(got.positions.stream().sorted().toList()).isEqualTo(store);
        } finally {
            reader.shutdownNow();
        }
    }

    private static long timeDiscovers(int n) {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            discover();
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
