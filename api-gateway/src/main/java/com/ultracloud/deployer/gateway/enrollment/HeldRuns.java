package com.ultracloud.deployer.gateway.enrollment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this gateway last saw of each hostname pattern's run of held indexes: every index in
 * {@code [from, end)} was held. Lets the lowest-free-index search start at {@code end} instead of walking
 * the whole run again, so handing out the next name of a pattern costs the same with 10 machines under it
 * as with 100,000 (the run only grows as names are handed out; the walk from {@code end} is short).
 * <p>
 * A run can only lose an index when its holder is retired (then {@link InventoryFleet} finds the hole
 * with one indexed lookup over the pattern's retired machines) or is given another hostname (rare:
 * re-commissioned after a retirement; such a hole is found once the run is forgotten, after {@link #TTL},
 * and a name is never handed out twice meanwhile: the walk and the commission check the holder itself).
 */
final class HeldRuns {

    static final Duration TTL = Duration.ofMinutes(10);
    private static final int MAX_RUNS = 1_000;

    private record Key(String stem, int width, long from) {
    }

    private record Run(long end, Instant seen) {
    }

    private final Map<Key, Run> runs = new ConcurrentHashMap<>();
    private final Clock clock;

    HeldRuns(Clock clock) {
        this.clock = clock;
    }

    /** Where the run of held indexes from {@code from} was last seen to end ({@code from} when unknown or stale). */
    long end(String stem, int width, long from) {
        Run r = runs.get(new Key(stem, width, from));
        if (r == null || r.seen().isBefore(clock.instant().minus(TTL))) {
            return from;
        }
        return Math.max(from, r.end());
    }

    /** Every index in {@code [from, end)} is held now. */
    void seen(String stem, int width, long from, long end) {
        if (runs.size() >= MAX_RUNS) {
            runs.clear();
        }
        Key key = new Key(stem, width, from);
        Instant now = clock.instant();
        Instant stale = now.minus(TTL);
        runs.merge(key, new Run(end, now), (old, fresh) -> old.seen().isBefore(stale) || fresh.end() >= old.end()
                ? new Run(fresh.end(), old.seen().isBefore(stale) ? now : old.seen()) : old);
    }
}
