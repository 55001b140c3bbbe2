package com.ultracloud.deployer.gateway.enrollment;

import com.ultracloud.deployer.machine.domain.enrollment.Enrolled;
import com.ultracloud.deployer.machine.domain.enrollment.Fleet;
import com.ultracloud.deployer.machine.domain.intent.HostnamePattern;
import com.ultracloud.deployer.projection.inventory.FleetIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * The fleet the matcher sees in the gateway: the inventory's indexed answers ({@link FleetIndex}), plus
 * the assignments this gateway made that the inventory does not show yet ({@code pending}, a handful:
 * the ledger of {@link Enrollments}). Every question costs one or two indexed statements, whatever the
 * fleet's size; a pending assignment is never overlooked, so a hostname just handed out is not handed
 * out again.
 */
final class InventoryFleet implements Fleet {

    /** Candidates per statement when a pattern's index cannot be told from the hostname's last digits. */
    static final int PROBE_BATCH = 64;

    private final FleetIndex index;
    private final HeldRuns runs;
    private final List<Enrolled> pending;

    InventoryFleet(FleetIndex index, HeldRuns runs, List<Enrolled> pending) {
        this.index = index;
        this.runs = runs;
        this.pending = List.copyOf(pending);
    }

    @Override
    public Optional<String> holderOf(String hostname, String except) {
        Optional<String> mine = pendingHolder(hostname, except);
        if (mine.isPresent()) {
            return mine;
        }
        return index.holdersOf(List.of(hostname), except).stream()
                .filter(h -> !renamed(h.machineId(), hostname))
                .map(FleetIndex.Holder::machineId).findFirst();
    }

    @Override
    public int countByRule(String matchedRule, String except, int atMost) {
        long mine = pending.stream().filter(e -> !e.machineId().equals(except) && Objects.equals(matchedRule, e.matchedRule()))
                .count();
        return (int) Math.min(atMost, index.countByRule(matchedRule, except, atMost) + mine);
    }

    @Override
    public List<String> heldByRule(String matchedRule, String except, int limit) {
        TreeSet<String> names = new TreeSet<>(index.hostnamesByRule(matchedRule, except, limit));
        pending.stream().filter(e -> !e.machineId().equals(except) && Objects.equals(matchedRule, e.matchedRule()))
                .forEach(e -> names.add(e.hostname()));
        return names.stream().limit(limit).toList();
    }

    /**
     * The lowest free index, without reading the hostnames under the pattern: the inventory keeps every
     * hostname split at its last run of digits (stem, index) in an index, so for the usual pattern
     * ({@code wk-{index:02}}, whose index is the hostname's last digits) the database finds the end of
     * the run of held indexes in one statement and answers one row (O(log n) to find the start, then a
     * walk along the index that stops at the first gap; no row crosses the wire, no JSON is decoded).
     * The walk starts where this gateway last saw the run end ({@link HeldRuns}), so it is short however
     * long the run is; a hole a retirement left below that point is one more indexed lookup. We chose this over the two alternatives: a range query on the pattern's literal
     * prefix returns every hostname under the pattern (grows with the fleet), and probing rendered
     * candidates by hostname costs a statement per batch of held indexes (grows with the run). A
     * pending assignment on the answer moves the search past it (at most once per pending entry). A
     * pattern whose index is not the last digits (rare: {@code n1{index}}, {@code {index}-r2}) falls
     * back to that probing, {@value #PROBE_BATCH} indexed hostname lookups per statement.
     */
    @Override
    public OptionalInt lowestFreeIndex(String pattern, int from, int to, String except) {
        Optional<String> stem = HostnamePattern.stemOf(pattern);
        if (stem.isEmpty()) {
            return probe(pattern, from, to, except);
        }
        int width = HostnamePattern.width(pattern);
        long runEnd = Math.min(runs.end(stem.get(), width, from), (long) to + 1);
        long low = from;
        while (low < runEnd) { // holes retirements left in the run since it was seen
            OptionalLong hole = index.lowestRetiredSlot(stem.get(), width, low, runEnd - 1, except);
            if (hole.isEmpty()) {
                break;
            }
            int i = (int) hole.getAsLong();
            if (pendingHolder(HostnamePattern.render(pattern, i), except).isEmpty()) {
                return OptionalInt.of(i);
            }
            low = i + 1L;
        }
        long next = runEnd;
        boolean first = true;
        while (next <= to) {
            OptionalLong slot = index.lowestFreeSlot(stem.get(), width, next, to, except);
            if (slot.isEmpty()) {
                return OptionalInt.empty();
            }
            if (first) {
                runs.seen(stem.get(), width, from, slot.getAsLong()); // [from, slot) is held
                first = false;
            }
            int i = (int) slot.getAsLong();
            if (pendingHolder(HostnamePattern.render(pattern, i), except).isEmpty()) {
                return OptionalInt.of(i);
            }
            next = i + 1L;
        }
        return OptionalInt.empty();
    }

    private OptionalInt probe(String pattern, int from, int to, String except) {
        for (int start = from; start <= to; start += PROBE_BATCH) {
            List<String> candidates = new ArrayList<>();
            for (int i = start; i < start + PROBE_BATCH && i <= to; i++) {
                candidates.add(HostnamePattern.render(pattern, i));
            }
            TreeSet<String> held = new TreeSet<>();
            index.holdersOf(candidates, except).stream().filter(h -> !renamed(h.machineId(), h.hostname()))
                    .forEach(h -> held.add(h.hostname()));
            for (int k = 0; k < candidates.size(); k++) {
                String h = candidates.get(k);
                if (!held.contains(h) && pendingHolder(h, except).isEmpty()) {
                    return OptionalInt.of(start + k);
                }
            }
        }
        return OptionalInt.empty();
    }

    private Optional<String> pendingHolder(String hostname, String except) {
        return pending.stream().filter(e -> !e.machineId().equals(except) && e.hostname().equals(hostname))
                .map(Enrolled::machineId).findFirst();
    }

    /** The inventory still shows {@code hostname} for a machine this gateway has just assigned another one. */
    private boolean renamed(String machineId, String hostname) {
        return pending.stream().anyMatch(e -> e.machineId().equals(machineId) && !e.hostname().equals(hostname));
    }
}
