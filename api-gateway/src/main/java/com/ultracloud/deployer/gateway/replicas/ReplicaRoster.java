package com.ultracloud.deployer.gateway.replicas;

import jakarta.annotation.PreDestroy;
import org.axonframework.eventhandling.pooled.MaxSegmentProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Which gateway replicas share this database, and so how many segments of a processing group each should hold:
 * the N of Axon's own rebalancing (a pooled processor asks its {@link MaxSegmentProvider} at every coordination
 * round, releases what is above it and claims up to it). Each replica writes its row in {@code gateway_replica}
 * every heartbeat and deletes it when it stops; a row not refreshed for three heartbeats is a dead replica. A
 * replica's fair share of a group with S segments is ceil(S / N): together the live replicas can always hold
 * every segment, and when one dies its share is taken over once its row and its token claims have gone stale
 * (ADR 0008, ADR 0009). One gateway alone: N = 1, it holds everything, as before.
 */
@Component
public class ReplicaRoster implements MaxSegmentProvider, SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(ReplicaRoster.class);

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration heartbeat;
    /** pid@host of the JVM and a random part: two gateways in one JVM (tests) are two replicas too. */
    private final String id = ManagementFactory.getRuntimeMXBean().getName() + "/"
            + UUID.randomUUID().toString().substring(0, 8);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "replica-roster");
        t.setDaemon(true);
        return t;
    });
    private volatile int live = 1;
    private volatile Map<String, Integer> segments = Map.of();
    private volatile boolean failing;

    ReplicaRoster(JdbcTemplate jdbc, Clock clock, @Value("${deployer.replicas.heartbeat:5s}") Duration heartbeat) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.heartbeat = heartbeat;
    }

    /** Joins once the schema is migrated, before Axon starts its processors (they start with the lifecycle). */
    @Override
    public void afterSingletonsInstantiated() {
        OffsetDateTime now = now();
        jdbc.update("insert into gateway_replica (replica_id, started_at, last_seen) values (?, ?, ?)", id, now, now);
        refresh();
        timer.scheduleWithFixedDelay(this::beat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** This replica's name: its row here and the owner of its token claims. */
    public String id() {
        return id;
    }

    /** Replicas whose heartbeat is recent, this one included. */
    public int liveReplicas() {
        return live;
    }

    /** The most segments of {@code processingGroup} this replica should hold; called by Axon's coordinators. */
    @Override
    public int getMaxSegments(String processingGroup) {
        Integer total = segments.get(processingGroup);
        if (total == null) { // its tokens are not initialised yet: let it claim what it finds
            return Short.MAX_VALUE;
        }
        return Math.max(1, (total + live - 1) / live);
    }

    private void beat() {
        try {
            // a replica whose row was swept while it was cut off from the database comes back in
            if (jdbc.update("update gateway_replica set last_seen = ? where replica_id = ?", now(), id) == 0) {
                jdbc.update("insert into gateway_replica (replica_id, started_at, last_seen) values (?, ?, ?)", id, now(), now());
            }
            refresh();
            if (failing) {
                log.info("replica roster: the database answers again; {} live replica(s)", live);
                failing = false;
            }
        } catch (RuntimeException e) {
            // keep the last N: a replica without its database holds nothing it could process anyway
            if (!failing) {
                log.warn("replica roster: heartbeat failed ({}); keeping {} live replica(s) until it works again",
                        e.getMessage(), live);
                failing = true;
            }
        }
    }

    private void refresh() {
        OffsetDateTime stale = now().minus(heartbeat.multipliedBy(3));
        Integer n = jdbc.queryForObject("select count(*) from gateway_replica where last_seen > ? or replica_id = ?",
                Integer.class, stale, id);
        Map<String, Integer> counts = new HashMap<>();
        jdbc.query("select processor_name, count(*) from token_entry group by processor_name",
                rs -> {
                    counts.put(rs.getString(1), rs.getInt(2));
                });
        int before = live;
        live = Math.max(1, n == null ? 1 : n);
        segments = Map.copyOf(counts);
        if (live != before) {
            log.info("replica roster: {} live replica(s) (was {}); each holds at most ceil(segments / {}) of a group",
                    live, before, live);
        }
        // rows of replicas dead for long are forgotten (a restarted replica is a new one)
        jdbc.update("delete from gateway_replica where last_seen < ?", now().minus(Duration.ofHours(1)));
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    /** A stopping replica leaves at once, so the others take its segments over at their next heartbeat. */
    @PreDestroy
    void leave() {
        timer.shutdownNow();
        try {
            jdbc.update("delete from gateway_replica where replica_id = ?", id);
        } catch (DataAccessException e) {
            log.debug("replica roster: could not remove this replica's row ({}); it goes stale", e.getMessage());
        }
    }
}
