package com.ultracloud.deployer.gateway.metrics;

import com.ultracloud.deployer.gateway.admin.ProjectionAdmin;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.deployment.DeploymentState;
import com.ultracloud.deployer.projection.inventory.InventoryChanges;
import com.ultracloud.deployer.projection.inventory.MachineDetail;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import com.ultracloud.deployer.projection.rollout.RolloutProjection;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The deployer's domain metrics (docs/operations.md, "Metrics"):
 * <ul>
 *   <li>{@code deployer_machines{state}}: machines per state, from the counts the inventory keeps (one indexed query
 *   per scrape, cached 5 s);</li>
 *   <li>{@code deployer_machine_transitions_total{from,to}}: state changes the inventory folded here ({@code from}
 *   is {@code none} for a new machine);</li>
 *   <li>{@code deployer_install_duration_seconds}: INSTALLING to INSTALLED, and {@code deployer_install_plan_wait_seconds}:
 *   install requested to plan issued (histograms);</li>
 *   <li>{@code deployer_rollout_machines{phase}} for machines of unfinished host deployments, and
 *   {@code deployer_rollouts{state}};</li>
 *   <li>{@code deployer_processor_lag_events{processor}}: events of the store a read model or saga has yet to
 *   handle, and {@code deployer_processor_replaying{processor}}.</li>
 * </ul>
 * Counters and timers count what this process's inventory processor folded live (never a replay). With replicas,
 * sum them across replicas: each machine's events are folded by one of them.
 */
@Component
class DomainMetrics implements InventoryChanges {

    private static final Duration FRESH = Duration.ofSeconds(5);

    private final MeterRegistry meters;
    private final Timer installDuration;
    private final Timer planWait;
    /** Machines in INSTALLING as this process saw them enter it, with when: bounded by the installs under way. */
    private final Map<String, Instant> installing = new ConcurrentHashMap<>();
    private final Cached<Map<String, Long>> machines;
    private final Cached<Map<String, Long>> rolloutMachines;
    private final Cached<Map<String, Long>> rollouts;
    private final Cached<List<ProjectionAdmin.ProcessorStatus>> processors;

    DomainMetrics(MeterRegistry meters, JdbcTemplate jdbc, ProjectionAdmin admin) {
        this.meters = meters;
        this.installDuration = Timer.builder("deployer.install.duration")
                .description("From INSTALLING to INSTALLED, per install this process saw start")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofSeconds(10))
                .maximumExpectedValue(Duration.ofHours(3)).register(meters);
        this.planWait = Timer.builder("deployer.install.plan.wait")
                .description("From the install request to the install plan being issued (credentials, disk choice)")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofMinutes(30)).register(meters);
        this.machines = new Cached<>(() -> grouped(jdbc,
                "select state, sum(machines) from inventory_state_count group by state"));
        this.rolloutMachines = new Cached<>(() -> grouped(jdbc, "select m.phase, count(*) from rollout_machine m"
                + " join rollout_deployment d on d.deployment_id = m.deployment_id"
                + " where d.state in ('PENDING', 'IN_PROGRESS', 'PAUSED') group by m.phase"));
        this.rollouts = new Cached<>(() -> grouped(jdbc, "select state, count(*) from rollout_deployment group by state"));
        this.processors = new Cached<>(admin::status);
        for (MachineState state : MachineState.values()) {
            Gauge.builder("deployer.machines", machines, c -> c.get().getOrDefault(state.name(), 0L))
                    .description("Machines per lifecycle state").tag("state", state.name()).register(meters);
        }
        for (DeploymentState state : DeploymentState.values()) {
            Gauge.builder("deployer.rollouts", rollouts, c -> c.get().getOrDefault(state.name(), 0L))
                    .description("Host deployments per state").tag("state", state.name()).register(meters);
        }
        for (String phase : RolloutProjection.PHASES) {
            Gauge.builder("deployer.rollout.machines", rolloutMachines, c -> c.get().getOrDefault(phase, 0L))
                    .description("Machines of unfinished host deployments per rollout phase").tag("phase", phase)
                    .register(meters);
        }
    }

    /** One lag gauge per event processor (read models and sagas), once Axon has started them. */
    @EventListener(ApplicationReadyEvent.class)
    void processorGauges() {
        for (ProjectionAdmin.ProcessorStatus status : processors.get()) {
            String processor = status.name();
            Gauge.builder("deployer.processor.lag", processors, c -> lag(c.get(), processor))
                    .description("Events of the store the processor has yet to handle").baseUnit("events")
                    .tag("processor", processor).register(meters);
            Gauge.builder("deployer.processor.replaying", processors, c -> replaying(c.get(), processor))
                    .description("1 while the processor rebuilds its read model").tag("processor", processor)
                    .register(meters);
        }
    }

    @Override
    public void folded(MachineDetail before, MachineDetail after, Instant at) {
        MachineState from = before == null ? null : before.state();
        if (from != after.state()) {
            Counter.builder("deployer.machine.transitions").description("Machine state changes")
                    .tag("from", from == null ? "none" : from.name()).tag("to", after.state().name())
                    .register(meters).increment();
            if (after.state() == MachineState.INSTALLING) {
                installing.put(after.machineId(), at);
            } else {
                Instant started = installing.remove(after.machineId());
                if (started != null && after.state() == MachineState.INSTALLED) {
                    installDuration.record(Duration.between(started, at));
                }
            }
        }
        if (before != null && before.install() != null && "requested".equals(before.install().result())
                && after.install() != null && "plan-issued".equals(after.install().result())
                && before.install().updatedAt() != null) {
            planWait.record(Duration.between(before.install().updatedAt(), at));
        }
    }

    private static double lag(List<ProjectionAdmin.ProcessorStatus> all, String name) {
        return all.stream().filter(p -> p.name().equals(name) && p.lag() != null).mapToDouble(p -> p.lag())
                .findFirst().orElse(Double.NaN);
    }

    private static double replaying(List<ProjectionAdmin.ProcessorStatus> all, String name) {
        return all.stream().filter(p -> p.name().equals(name)).mapToDouble(p -> p.replaying() ? 1 : 0)
                .findFirst().orElse(Double.NaN);
    }

    private static Map<String, Long> grouped(JdbcTemplate jdbc, String sql) {
        Map<String, Long> out = new HashMap<>();
        jdbc.query(sql, rs -> {
            out.put(rs.getString(1), rs.getLong(2));
        });
        return out;
    }

    /** A value read at most every {@link #FRESH}: a scrape of every gauge costs one query per source. */
    static final class Cached<T> {
        private final Supplier<T> source;
        private T value;
        private long readAt;

        Cached(Supplier<T> source) {
            this.source = source;
        }

        synchronized T get() {
            long now = System.nanoTime();
            if (value == null || now - readAt > FRESH.toNanos()) {
                value = source.get();
                readAt = now;
            }
            return value;
        }
    }
}
