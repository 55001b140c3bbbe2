package com.ultracloud.deployer.gateway.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@code GET /api/v1/events/stream} behind the controller: one reader thread follows the event store (Axon's
 * {@link EventStore#openStream}, woken by this process's commits, polling for other replicas') and offers each event
 * to every live client, encoded once. A client that resumes from an id first catches up from the store, a page at a
 * time on a small pool and only while its queue has room, then joins the live clients and reads the store once more
 * (the seam): what was committed between its last page and joining. Its cursor drops what it already has, so nothing
 * is missed and nothing repeated. Writes are non-blocking ({@link StreamClient}); no thread waits on a client.
 */
@Component
class EventStream implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventStream.class);
    /** The reader starts this far behind the head: transactions still open at start-up are gaps it waits for. */
    private static final long START_BEHIND = 1_000;

    private final EventStore source;
    private final EventStorageEngine store;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final int clientBuffer;
    private final Duration heartbeat;
    private final Duration stallTimeout;

    private final Counter cutOffs;
    private final Set<StreamClient> live = ConcurrentHashMap.newKeySet();
    private final Set<StreamClient> clients = ConcurrentHashMap.newKeySet();
    private final Object dispatch = new Object();
    private volatile GapAwareTrackingToken readerToken;
    private volatile boolean running;
    private Thread reader;
    private ExecutorService catchUp;
    private ScheduledExecutorService timer;
    private long lastHeartbeat = System.nanoTime();

    EventStream(EventStore source, EventStorageEngine store, JdbcTemplate jdbc, ObjectMapper json, MeterRegistry meters,
                @Value("${deployer.events.stream.client-buffer:1000}") int clientBuffer,
                @Value("${deployer.events.stream.heartbeat:15s}") Duration heartbeat,
                @Value("${deployer.events.stream.stall-timeout:60s}") Duration stallTimeout) {
        this.source = source;
        this.store = store;
        this.jdbc = jdbc;
        this.json = json;
        this.clientBuffer = Math.max(2, clientBuffer);
        this.heartbeat = heartbeat;
        this.stallTimeout = stallTimeout;
        this.cutOffs = Counter.builder("deployer.events.stream.cutoffs")
                .description("Event stream clients cut off for falling behind (told to resume from their last id)")
                .register(meters);
        Gauge.builder("deployer.events.stream.clients", clients, Set::size)
                .description("Open event stream connections").register(meters);
    }

    /** A new client: from {@code from} (caught up from the store first) or, when null, from now. */
    void open(AsyncContext async, ServletOutputStream out, StreamFilter filter, StreamCursor from) {
        StreamClient[] self = new StreamClient[1];
        StreamClient client = new StreamClient(async, out, filter, from == null ? StreamCursor.start() : from,
                clientBuffer, () -> scheduleCatchUp(self[0]), cutOffs::increment);
        self[0] = client;
        async.addListener(client);
        clients.add(client);
        if (from == null) {
            synchronized (dispatch) {
                client.startAt(StreamCursor.of(readerToken));
                live.add(client);
            }
        }
        client.heartbeat(); // the first frame: the client knows where it stands before any event
        out.setWriteListener(client);
        if (from != null) {
            scheduleCatchUp(client);
        }
    }

    private void scheduleCatchUp(StreamClient client) {
        if (client != null && running && client.phase() == StreamClient.Phase.CATCHING_UP) {
            catchUp.execute(() -> catchUpPage(client));
        }
    }

    /** One page of the store for a client behind it; the next page is scheduled when its queue has room. */
    private void catchUpPage(StreamClient client) {
        if (!client.claimRead()) {
            return;
        }
        boolean more = false;
        try {
            int room = client.room();
            if (room == 0) {
                return; // the writer calls back when the client has read half of its queue
            }
            if (read(client, room) == room) {
                more = true;
                return;
            }
            // the store has nothing more for now: join the live clients, then read what was committed meanwhile
            synchronized (dispatch) {
                live.add(client);
                client.live();
            }
            int seamRoom = client.room();
            if (seamRoom > 0 && read(client, seamRoom) == seamRoom) {
                client.cutOff("the store grew faster than this client read it");
            }
        } catch (RuntimeException e) {
            log.warn("event stream catch-up failed; the client is closed and may resume from its last id: {}", e.toString());
            client.close();
        } finally {
            client.readDone();
            if (more) {
                scheduleCatchUp(client);
            }
        }
    }

    /** Offers the client up to {@code max} events from its cursor on; the number read (max: there may be more). */
    private int read(StreamClient client, int max) {
        GapAwareTrackingToken before = client.cursor().token();
        int n = 0;
        try (Stream<? extends TrackedEventMessage<?>> events = store.readEvents(before, false)) {
            for (Iterator<? extends TrackedEventMessage<?>> it = events.iterator(); n < max && it.hasNext(); n++) {
                TrackedEventMessage<?> event = it.next();
                GapAwareTrackingToken after = (GapAwareTrackingToken) event.trackingToken();
                long position = position(before, after, event);
                before = after;
                ExportedEvent e = ExportedEvent.of(event, position);
                if (!client.offer(position, e, () -> encode(e))) {
                    return max; // cut off meanwhile
                }
            }
        }
        return n;
    }

    private long position(GapAwareTrackingToken before, GapAwareTrackingToken after, TrackedEventMessage<?> event) {
        Long position = StreamCursor.positionBetween(before, after);
        if (position != null) {
            return position;
        }
        return jdbc.queryForObject("select global_index from domain_event_entry where event_identifier = ?",
                Long.class, event.getIdentifier());
    }

    private byte[] encode(ExportedEvent e) {
        try {
            return json.writeValueAsBytes(e);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("event " + e.type() + " cannot be written as JSON", ex);
        }
    }

    /** The reader thread: follows the store and offers every event to the live clients. */
    private void follow() {
        GapAwareTrackingToken token = readerToken;
        while (running) {
            try (BlockingStream<TrackedEventMessage<?>> stream = source.openStream(token)) {
                while (running) {
                    if (!stream.hasNextAvailable(500, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    TrackedEventMessage<?> event = stream.nextAvailable();
                    GapAwareTrackingToken after = (GapAwareTrackingToken) event.trackingToken();
                    long position = position(token, after, event);
                    token = after;
                    if (!live.isEmpty()) {
                        ExportedEvent e = ExportedEvent.of(event, position);
                        Supplier<byte[]> data = memo(() -> encode(e));
                        synchronized (dispatch) {
                            live.removeIf(c -> !c.offer(position, e, data));
                        }
                    }
                    readerToken = after; // after the offers: a client's given-up gaps are dropped only once offered
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("event stream reader: {}; reading again from position {} in 1 s", e.toString(), token.getIndex());
                    sleep(1_000);
                }
            }
        }
    }

    /** Every second: heartbeats when due, stalled clients closed, given-up gaps dropped. */
    private void tick() {
        boolean beat = System.nanoTime() - lastHeartbeat >= heartbeat.toNanos();
        if (beat) {
            lastHeartbeat = System.nanoTime();
        }
        GapAwareTrackingToken token = readerToken;
        for (StreamClient client : clients) {
            if (client.phase() == StreamClient.Phase.CLOSED) {
                clients.remove(client);
                live.remove(client);
            } else if (client.stalledFor(stallTimeout.toNanos())) {
                log.info("event stream client read nothing for {}; closed (it may resume from its last id)", stallTimeout);
                client.close();
            } else {
                if (client.phase() == StreamClient.Phase.LIVE) {
                    client.forgetGivenUpGaps(token);
                }
                if (beat) {
                    client.heartbeat();
                }
            }
        }
    }

    long cutOffs() {
        return (long) cutOffs.count();
    }

    @Override
    public void start() {
        TrackingToken head = store.createHeadToken();
        long index = head == null ? -1 : head.position().orElse(-1);
        readerToken = GapAwareTrackingToken.newInstance(Math.max(-1, index - START_BEHIND), Set.of());
        running = true;
        catchUp = Executors.newFixedThreadPool(2, r -> daemon(r, "event-stream-catch-up"));
        timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "event-stream-timer"));
        timer.scheduleWithFixedDelay(this::tickSafely, 1, 1, TimeUnit.SECONDS);
        reader = daemon(this::follow, "event-stream-reader");
        reader.start();
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.warn("event stream timer: {}", e.toString());
        }
    }

    @Override
    public void stop() {
        running = false;
        clients.forEach(StreamClient::close);
        if (reader != null) {
            reader.interrupt();
        }
        if (catchUp != null) {
            catchUp.shutdownNow();
            timer.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Started after the event store and processors, stopped before them. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static <T> Supplier<T> memo(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
