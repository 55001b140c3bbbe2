package com.ultracloud.deployer.gateway.audit;

import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.event.MachineEvent;
import com.ultracloud.deployer.projection.inventory.MachineDetail;
import com.ultracloud.deployer.projection.inventory.MachineDetailFold;
import com.ultracloud.deployer.projection.inventory.MachinePage;
import com.ultracloud.deployer.projection.inventory.MachineSummary;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The inventory as it was ({@code GET /api/v1/machines?at=}): every machine event of the store up to a position or
 * an instant, read in store order and folded with the inventory's own fold ({@link MachineDetailFold}), then
 * filtered and paged like the live list (hostname order, then machine id; machines without a hostname last). Its
 * cost is the store up to {@code at}, not the page: a debugging read, not a hot path (docs/debugging.md gives the
 * figure). The fold keeps one detail per machine in memory.
 */
@Component
public class InventoryAsOf {

    /** Where the past inventory ends: after the event at {@code position}, or after every event up to {@code instant}. */
    public record At(Long position, Instant instant) {
        boolean past(TrackedEventMessage<?> e, long eventPosition) {
            return position != null ? eventPosition > position : e.getTimestamp().isAfter(instant);
        }
    }

    /** The filters the past inventory supports: the states (empty: all), class, pool and one {@code key=value} label. */
    public record Filter(Set<MachineState> states, String nodeClass, String pool, String label) {
        boolean matches(MachineDetail d) {
            if (!states.isEmpty() && !states.contains(d.state())) {
                return false;
            }
            if (nodeClass != null && !nodeClass.equals(d.nodeClass())) {
                return false;
            }
            if (pool != null && !pool.equals(d.pool())) {
                return false;
            }
            if (label == null) {
                return true;
            }
            int eq = label.indexOf('=');
            String key = eq < 0 ? label : label.substring(0, eq);
            return d.labels() != null && d.labels().containsKey(key)
                    && (eq < 0 || label.substring(eq + 1).equals(d.labels().get(key)));
        }
    }

    private static final Comparator<MachineDetail> ORDER = Comparator
            .comparing(MachineDetail::hostname, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(MachineDetail::machineId);

    private final EventStorageEngine store;

    InventoryAsOf(EventStorageEngine store) {
        this.store = store;
    }

    public MachinePage page(At at, Filter filter, int page, int size) {
        Map<String, MachineDetail> machines = new HashMap<>();
        try (Stream<? extends TrackedEventMessage<?>> events = store.readEvents(null, false)) {
            for (var it = events.iterator(); it.hasNext(); ) {
                TrackedEventMessage<?> e = it.next();
                long position = e.trackingToken().position().orElse(Long.MAX_VALUE);
                if (at.past(e, position)) {
                    break;
                }
                if (e.getPayload() instanceof MachineEvent m && e instanceof org.axonframework.eventhandling.DomainEventMessage<?> d) {
                    machines.compute(m.machineId().toString(), (id, before) ->
                            MachineDetailFold.apply(before, m, d.getSequenceNumber(), e.getTimestamp()));
                }
            }
        }
        List<MachineDetail> matching = machines.values().stream().filter(filter::matches).sorted(ORDER).toList();
        List<MachineSummary> items = matching.stream().skip((long) page * size).limit(size).map(MachineSummary::of).toList();
        return new MachinePage(items, page, size, matching.size(), true, null);
    }
}
