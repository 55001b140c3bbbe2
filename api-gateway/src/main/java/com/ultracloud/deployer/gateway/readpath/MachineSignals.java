package com.ultracloud.deployer.gateway.readpath;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Requests that wait for something about one machine (its plan to be issued, a projection to reach a
 * version), woken by the machine's events instead of a timer: {@link #signal} is called when one of the
 * machine's events is committed by this process or folded into a projection here ({@link ReadPathConfig}),
 * and re-runs the waiting requests' checks on a small pool. No servlet thread is held while waiting: the
 * caller hands the future to Servlet async ({@code DeferredResult}).
 * <p>
 * Replicas: a signal is in-process only. A request waiting on a replica that neither appended nor folded
 * the event it needs is not woken early; it re-checks the read model once more at its deadline, so its
 * answer is still correct, only later (docs/architecture.md).
 */
@Component
public class MachineSignals implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(MachineSignals.class);

    private final ConcurrentHashMap<String, Set<Waiter<?>>> waiters = new ConcurrentHashMap<>();
    private final ScheduledExecutorService deadlines;
    private final ExecutorService checks;

    MachineSignals(@Value("${deployer.read.check-threads:4}") int checkThreads) {
        this.deadlines = Executors.newSingleThreadScheduledExecutor(daemon("read-path-deadline"));
        this.checks = Executors.newFixedThreadPool(Math.max(1, checkThreads), daemon("read-path-check"));
    }

    /**
     * Waits until {@code check} answers something, at most {@code max}: the check runs at once in the
     * caller's thread, then again after every signal for {@code machineId}, and a last time at the
     * deadline; the future holds its answer (empty when it never answered). The check must be cheap and
     * must not block for long; it may throw, which completes the future exceptionally.
     */
    public <T> CompletableFuture<Optional<T>> await(String machineId, Duration max, Supplier<Optional<T>> check) {
        Waiter<T> waiter = new Waiter<>(machineId, check);
        // registered before the first check: a signal between the check and the registration is not lost
        // (added inside compute: atomic with forget's removal of an emptied set, so it never lands in a dropped one)
        waiters.compute(machineId, (k, set) -> {
            Set<Waiter<?>> s = set == null ? ConcurrentHashMap.newKeySet() : set;
            s.add(waiter);
            return s;
        });
        waiter.future.whenComplete((r, e) -> forget(waiter));
        if (waiter.first() || max.isZero() || max.isNegative()) {
            waiter.future.complete(Optional.empty()); // no-op when the first check answered
            return waiter.future;
        }
        waiter.deadline = deadlines.schedule(waiter::last, max.toMillis(), TimeUnit.MILLISECONDS);
        if (waiter.future.isDone()) {
            waiter.deadline.cancel(false);
        }
        return waiter.future;
    }

    /** Something about the machine changed (an event of it was committed or folded here): re-check its waiters. */
    public void signal(String machineId) {
        Set<Waiter<?>> set = waiters.get(machineId);
        if (set != null) {
            set.forEach(Waiter::recheck);
        }
    }

    /** How many requests wait for this machine now (for tests). */
    public int waiting(String machineId) {
        Set<Waiter<?>> set = waiters.get(machineId);
        return set == null ? 0 : set.size();
    }

    /** How many requests wait now (for tests and metrics). */
    public int waiting() {
        return waiters.values().stream().mapToInt(Set::size).sum();
    }

    private void forget(Waiter<?> waiter) {
        waiters.computeIfPresent(waiter.machineId, (k, set) -> {
            set.remove(waiter);
            return set.isEmpty() ? null : set;
        });
        ScheduledFuture<?> d = waiter.deadline;
        if (d != null) {
            d.cancel(false);
        }
    }

    @Override
    public void destroy() {
        deadlines.shutdownNow();
        checks.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** One waiting request: re-checks coalesce (one runs at a time; signals during it cause one more). */
    private final class Waiter<T> {
        final String machineId;
        final Supplier<Optional<T>> check;
        final CompletableFuture<Optional<T>> future = new CompletableFuture<>();
        final AtomicBoolean running = new AtomicBoolean();
        final AtomicBoolean pending = new AtomicBoolean();
        volatile ScheduledFuture<?> deadline;

        Waiter(String machineId, Supplier<Optional<T>> check) {
            this.machineId = machineId;
            this.check = check;
        }

        void recheck() {
            if (future.isDone()) {
                return;
            }
            pending.set(true);
            if (running.compareAndSet(false, true)) {
                submit(this::drain);
            }
        }

        private void drain() {
            while (true) {
                pending.set(false);
                if (run(false)) {
                    return;
                }
                running.set(false);
                if (!pending.get() || !running.compareAndSet(false, true)) {
                    return;
                }
            }
        }

        /** The first check, in the caller's thread; true when it answered. */
        boolean first() {
            return run(false);
        }

        /** The deadline: one last look at the read model, and an answer whatever it says. */
        void last() {
            submit(() -> run(true));
        }

        /** True when the future is complete. One check of a waiter at a time: a check may act (start an install). */
        private synchronized boolean run(boolean last) {
            if (future.isDone()) {
                return true;
            }
            try {
                Optional<T> r = check.get();
                if (r.isPresent() || last) {
                    future.complete(r);
                }
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
            return future.isDone();
        }

        private void submit(Runnable r) {
            try {
                checks.execute(r);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                log.debug("read path is shutting down; request for machine {} ends", machineId);
                future.cancel(false);
            }
        }
    }
}
