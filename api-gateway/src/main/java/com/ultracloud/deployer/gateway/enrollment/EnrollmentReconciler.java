package com.ultracloud.deployer.gateway.enrollment;

import com.ultracloud.deployer.gateway.config.DeployerProperties;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.projection.inventory.FleetIndex;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Enrollment, level-triggered (as Kubernetes controllers are): a machine seen waiting in a state that
 * enrollment may still move it from gets the step that state calls for, whether or not its event was
 * acted on. It is seen two ways:
 * <ul>
 *   <li>its installer re-discovers with the machine still in the same state after {@code reconcile-after}
 *       (then again after doubling waits, up to {@link #MAX_BACKOFF}: a machine that waits for an
 *       operator costs little);</li>
 *   <li>a periodic sweep pages through the machines in those states, {@code sweep-batch} at a time, so
 *       a machine whose installer went quiet is reached too.</li>
 * </ul>
 * The work runs on one background thread, never on the request: discover only records what it saw.
 * {@link EnrollmentSteps#reconcile} reads the machine from the event store and leaves alone one that
 * changed within {@code reconcile-after}, whose event the policy is still acting on.
 */
@Component
public class EnrollmentReconciler {

    static final Duration MAX_BACKOFF = Duration.ofMinutes(10);
    private static final int MAX_TRACKED = 200_000;
    private static final int MAX_QUEUED = 10_000;
    private static final Logger log = LoggerFactory.getLogger(EnrollmentReconciler.class);

    private final EnrollmentSteps steps;
    private final FleetIndex index;
    private final DeployerProperties.Enrollment settings;
    private final Clock clock;
    private final Map<MachineId, Seen> seen = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<MachineId, Seen> eldest) {
            return size() > MAX_TRACKED;
        }
    };
    private final Set<MachineId> queued = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<MachineId> queue = new ArrayBlockingQueue<>(MAX_QUEUED);
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "enrollment-reconciler");
        t.setDaemon(true);
        return t;
    });
    private FleetIndex.Waiting sweepAfter;

    /** A machine's state as discover last saw it, since when, and when it is next worth a look. */
    private record Seen(MachineState state, Instant nextCheck, Duration backoff) {
    }

    EnrollmentReconciler(EnrollmentSteps steps, FleetIndex index, DeployerProperties properties, Clock clock) {
        this.steps = steps;
        this.index = index;
        this.settings = properties.enrollment();
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        if (!settings.automation()) {
            return;
        }
        long sweep = settings.sweepInterval().toMillis();
        worker.scheduleWithFixedDelay(this::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
        worker.scheduleWithFixedDelay(this::drain, 500, 500, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }

    /** Discover saw the machine in {@code state}: cheap, and the only work on the request path. */
    public void observed(MachineId id, MachineState state) {
        if (!settings.automation()) {
            return;
        }
        Instant now = clock.instant();
        boolean due;
        synchronized (seen) {
            if (!EnrollmentSteps.AUTOMATED.contains(state)) {
                seen.remove(id);
                return;
            }
            Seen before = seen.get(id);
            if (before == null || before.state() != state) {
                seen.put(id, new Seen(state, now.plus(settings.reconcileAfter()), settings.reconcileAfter()));
                return;
            }
            due = !now.isBefore(before.nextCheck());
            if (due) {
                Duration backoff = min(before.backoff().multipliedBy(2), MAX_BACKOFF);
                seen.put(id, new Seen(state, now.plus(backoff), backoff));
            }
        }
        if (due) {
            enqueue(id);
        }
    }

    /**
     * One page of the machines enrollment may still move, oldest discovery first; the next sweep takes
     * the next page. A keyset page on an index (no offset, no total count), so a sweep costs the same
     * however many machines there are.
     */
    void sweep() {
        try {
            List<FleetIndex.Waiting> page = index.waitingIn(EnrollmentSteps.AUTOMATED, sweepAfter, settings.sweepBatch());
            for (FleetIndex.Waiting m : page) {
                enqueue(MachineId.parse(m.machineId()));
            }
            sweepAfter = page.size() < settings.sweepBatch() ? null : page.get(page.size() - 1);
        } catch (Exception e) {
            log.warn("enrollment sweep failed (it runs again in {}): {}", settings.sweepInterval(), e.toString());
        }
    }

    /** Takes the queued machines' steps, one at a time, on the reconciler's thread. */
    void drain() {
        MachineId id;
        while ((id = queue.poll()) != null) {
            queued.remove(id);
            if (steps.reconcile(id)) {
                log.info("enrollment reconciler: machine {} had waited in its state; took its next step", id);
            }
        }
    }

    private void enqueue(MachineId id) {
        // a full queue drops the machine for now: the sweep or its next discover brings it back
        if (queued.add(id) && !queue.offer(id)) {
            queued.remove(id);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
