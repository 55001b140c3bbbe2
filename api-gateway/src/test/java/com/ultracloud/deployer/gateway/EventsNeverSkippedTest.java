package com.ultracloud.deployer.gateway;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The event store's global index is taken from a sequence when an event is inserted, but becomes
 * visible when its transaction commits: under concurrent appends a reader sees index 12 before 11,
 * and a rolled-back append leaves 11 missing for good. A streaming processor that moved its token
 * past 11 would never see it. Axon's gap-aware tracking token remembers the gaps behind its
 * position and picks an event up when its transaction commits late; this test shows it, on
 * PostgreSQL with the sequence settings the deployer ships, by appending from many threads with
 * commits deliberately out of index order and one append in ten rolled back.
 */
class EventsNeverSkippedTest {

    private static final int THREADS = 8;
    private static final int APPENDS_PER_THREAD = 150;

    /** The payload: an id to recognise each append by. */
    public record GapProbe(String id) {
    }

    /** A processing group of its own (pooled streaming, one segment, like every other group). */
    @ProcessingGroup("gap-probe")
    public static class Probe {
        final Set<String> seen = ConcurrentHashMap.newKeySet();
        final AtomicInteger deliveries = new AtomicInteger();

        @EventHandler
        void on(GapProbe probe) {
            seen.add(probe.id());
            deliveries.incrementAndGet();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ProbeConfig {
        @Bean
        Probe gapProbe() {
            return new Probe();
        }
    }

    static PostgresDatabase db;
    static RunningGateway gateway;

    @BeforeAll
    static void start(@TempDir Path dir) {
        db = PostgresDatabase.create("deployer_gaps");
        List<String> args = new ArrayList<>(List.of(db.gatewayArgs()));
        args.add("--deployer.data-dir=" + dir);
        gateway = RunningGateway.startWith(List.of(ProbeConfig.class), args.toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /** One committed append: its global index and the order in which its transaction committed. */
    private record Committed(String id, long globalIndex, long commitOrder) {
    }

    @Test
    void everyCommittedEventReachesTheProcessorExactlyOnceWhateverTheCommitOrder() throws Exception {
        EventStore store = gateway.bean(EventStore.class);
        TransactionTemplate tx = new TransactionTemplate(gateway.bean(PlatformTransactionManager.class));
        JdbcTemplate jdbc = new JdbcTemplate(gateway.bean(DataSource.class));
        Probe probe = gateway.bean(Probe.class);
        ConcurrentLinkedQueue<Committed> committed = new ConcurrentLinkedQueue<>();
        Set<String> rolledBack = ConcurrentHashMap.newKeySet();
        AtomicInteger commits = new AtomicInteger();

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            writers.add(pool.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < APPENDS_PER_THREAD; i++) {
                    String id = UUID.randomUUID().toString();
                    boolean rollBack = random.nextInt(10) == 0;
                    Long index = tx.execute(status -> {
                        store.publish(new GenericDomainEventMessage<>("GapProbe", id, 0, new GapProbe(id)));
                        Long assigned = jdbc.queryForObject(
                                "select global_index from domain_event_entry where aggregate_identifier = ?", Long.class, id);
                        pause(random.nextInt(12)); // hold the index while others take and commit later ones
                        if (rollBack) {
                            status.setRollbackOnly();
                        }
                        return assigned;
                    });
                    if (rollBack) {
                        rolledBack.add(id);
                    } else {
                        committed.add(new Committed(id, index, commits.incrementAndGet()));
                    }
                }
            }));
        }
        for (Future<?> w : writers) {
            w.get();
        }
        pool.shutdown();

        Set<String> expected = ConcurrentHashMap.newKeySet();
        committed.forEach(c -> expected.add(c.id()));
        assertThat(expected).hasSize(THREADS * APPENDS_PER_THREAD - rolledBack.size());
        assertThat(rolledBack).as("some appends rolled back, leaving permanent gaps").isNotEmpty();
        assertThat(outOfOrderCommits(new ArrayList<>(committed)))
                .as("some events committed after an event with a higher global index (the case that can skip)")
                .isPositive();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(probe.seen).containsAll(expected));
        assertThat(probe.seen).as("no rolled-back event is delivered").doesNotContainAnyElementsOf(rolledBack);
        assertThat(probe.seen).hasSameSizeAs(expected);
        assertThat(probe.deliveries.get()).as("each event delivered once").isEqualTo(expected.size());
    }

    /** How many commits came after a commit of a higher global index. */
    private static long outOfOrderCommits(List<Committed> committed) {
        committed.sort((a, b) -> Long.compare(a.commitOrder(), b.commitOrder()));
        long highest = Long.MIN_VALUE;
        long late = 0;
        for (Committed c : committed) {
            if (c.globalIndex() < highest) {
                late++;
            }
            highest = Math.max(highest, c.globalIndex());
        }
        return late;
    }

    private static void pause(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
