package com.ultracloud.deployer.bench.lifecycle;

import com.ultracloud.deployer.bench.support.Host;
import com.ultracloud.deployer.bench.support.Latencies;
import com.ultracloud.deployer.bench.support.Results;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.NodeAssignment;
import com.ultracloud.deployer.machine.api.command.CommissionMachine;
import com.ultracloud.deployer.machine.api.command.DiscoverMachine;
import com.ultracloud.deployer.machine.api.command.InspectMachine;
import com.ultracloud.deployer.machine.domain.MachineFingerprint;
import com.ultracloud.deployer.protocol.InventoryDigest;
import com.ultracloud.deployer.protocol.MachineInventory;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Drives N new machines through discover → inspect → commission through the real command bus and
 * event store; with the read side running, the clock stops only once every event processor has handled
 * every event (end to end). Then, in the same run and database, a raw JDBC loop inserts one row and
 * commits, as many times on as many threads. Prints both rates, their ratio and the latencies, then exits.
 * Runs inside the gateway jar only when this module's jar is on {@code loader.path} and the {@code bench}
 * profile is active (bench/lifecycle.sh); never part of the production jar.
 */
@Component
@Profile("bench")
class LifecycleBenchmark implements ApplicationRunner {

    private static final long TIMEOUT_SECONDS = 30;

    private final CommandGateway commandGateway;
    private final DataSource dataSource;
    private final ConfigurableApplicationContext context;
    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;
    private final int machines;
    private final int concurrency;
    private final boolean readSide;

    LifecycleBenchmark(CommandGateway commandGateway, DataSource dataSource, ConfigurableApplicationContext context,
                       EventProcessingConfiguration processing, EventStore eventStore,
                       @Value("${bench.machines:2000}") int machines,
                       @Value("${bench.concurrency:4}") int concurrency,
                       @Value("${bench.read-side:true}") boolean readSide) {
        this.commandGateway = commandGateway;
        this.dataSource = dataSource;
        this.context = context;
        this.processing = processing;
        this.eventStore = eventStore;
        this.machines = machines;
        this.concurrency = concurrency;
        this.readSide = readSide;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        String bench = "lifecycle-" + machines + "x" + concurrency + (readSide ? "" : "-paused");
        Host.describe(bench, "machines", String.valueOf(machines), "threads", String.valueOf(concurrency),
                "read_side", readSide ? "running" : "paused", "database", database());
        int warmup = Math.max(500, machines / 4);
        drive(warmup, 1_000_000); // JIT, connection pool and caches, not measured
        jdbcLoop(warmup * 3);
        awaitCaughtUp();
        if (!readSide) {
            // the command path alone: projections, policies and sagas stop consuming (they catch up later)
            processing.eventProcessors().values().forEach(EventProcessor::shutDown);
        }

        Run axon = drive(machines, 0);
        double endToEnd = readSide ? axon.seconds + awaitCaughtUp() : axon.seconds;
        Run jdbc = jdbcLoop(machines * 3);
        System.out.println(axon.describe("commands (discover/inspect/commission)"));
        if (readSide) {
            System.out.printf(Locale.ROOT, "%-40s %8d ops in %6.2f s = %8.1f ops/s%n", "  ... until the read side caught up",
                    axon.count(), endToEnd, axon.count() / endToEnd);
        }
        System.out.println(jdbc.describe("raw JDBC insert+commit (baseline)"));
        if (readSide) {
            Results.sameRun(bench, "end-to-end-throughput", axon.count() / endToEnd, jdbc.perSecond(), "ops/s",
                    "note", "commands/s until every processor caught up, vs JDBC rows/s");
        }
        Results.sameRun(bench, "command-throughput", axon.perSecond(), jdbc.perSecond(), "ops/s");
        Results.sameRun(bench, "p50", axon.latencies.percentileMillis(50), jdbc.latencies.percentileMillis(50), "ms");
        Results.sameRun(bench, "p99", axon.latencies.percentileMillis(99), jdbc.latencies.percentileMillis(99), "ms");
        System.exit(SpringApplication.exit(context, () -> 0));
    }

    /** Seconds until every streaming processor has handled the event store up to its current head. */
    private double awaitCaughtUp() throws InterruptedException {
        long start = System.nanoTime();
        long head = eventStore.createHeadToken().position().orElse(-1);
        while (!processing.eventProcessors().values().stream()
                .filter(StreamingEventProcessor.class::isInstance).map(StreamingEventProcessor.class::cast)
                .allMatch(p -> caughtUp(p, head))) {
            if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(30)) {
                throw new IllegalStateException("read side not caught up after 30 minutes");
            }
            Thread.sleep(5);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static boolean caughtUp(StreamingEventProcessor p, long head) {
        Map<Integer, EventTrackerStatus> segments = p.processingStatus();
        return !segments.isEmpty() && segments.values().stream().allMatch(s -> s.isCaughtUp() && !s.isErrorState()
                && s.getCurrentPosition().orElse(-1) >= head);
    }

    private Object send(Object command) {
        MetaData who = MetaData.with("principal", "system:bench").and("correlationId", UUID.randomUUID().toString());
        return commandGateway.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(who),
                TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private Run drive(int count, int offset) throws Exception {
        return timed(count, 3, i -> {
            MachineInventory facts = facts(offset + i);
            MachineFingerprint fp = MachineFingerprint.of(facts);
            MachineId id = fp.machineId();
            return new long[]{
                    time(() -> send(new DiscoverMachine(id, fp.value(), facts, InventoryDigest.of(facts)))),
                    time(() -> send(new InspectMachine(id, null, null))),
                    time(() -> send(new CommissionMachine(id, new NodeAssignment(null, "bench-" + (offset + i), "worker",
                            "bench", Map.of("bench", "true"), null, null), null)))};
        });
    }

    private Run jdbcLoop(int rows) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table if not exists bench_baseline (id varchar(64) primary key, payload varchar(2000))");
            s.execute("delete from bench_baseline");
        }
        String payload = "x".repeat(1000); // about the size of a discover event
        try {
            return timed(rows, 1, i -> new long[]{time(() -> {
                try (Connection c = dataSource.getConnection();
                     PreparedStatement ps = c.prepareStatement("insert into bench_baseline (id, payload) values (?, ?)")) {
                    c.setAutoCommit(false);
                    ps.setString(1, i + "-" + ThreadLocalRandom.current().nextLong());
                    ps.setString(2, payload);
                    ps.executeUpdate();
                    c.commit();
                    c.setAutoCommit(true);
                }
                return null;
            })});
        } finally {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("drop table bench_baseline");
            }
        }
    }

    interface Job {
        long[] run(int index) throws Exception;
    }

    /** Runs {@code count} jobs on {@code concurrency} threads; each job returns its operations' latencies. */
    private Run timed(int count, int opsPerJob, Job job) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        Latencies latencies = new Latencies(count * opsPerJob);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int i = thread; i < count; i += concurrency) {
                    for (long l : job.run(i)) {
                        latencies.add(l);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return new Run(latencies, seconds);
    }

    private static long time(Callable<?> op) throws Exception {
        long t0 = System.nanoTime();
        op.call();
        return System.nanoTime() - t0;
    }

    private String database() {
        try (Connection c = dataSource.getConnection()) {
            return c.getMetaData().getDatabaseProductName() + " " + c.getMetaData().getDatabaseProductVersion();
        } catch (SQLException e) {
            return "unknown database";
        }
    }

    /** A plausible server with a unique identity per index. */
    static MachineInventory facts(int n) {
        String mac = String.format("02:00:%02x:%02x:%02x:%02x", (n >> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
        return new MachineInventory(
                new MachineInventory.SystemIdentity(String.format("4c4c4544-0000-2000-8000-%012x", n), "BENCH" + n,
                        null, "Dell Inc.", "PowerEdge R650"),
                List.of(new MachineInventory.Nic("eno1", mac, mac, "bnxt_en", 25000, true, "0000:31:00.0")),
                List.of(new MachineInventory.Disk("nvme0n1", List.of("nvme-SAMSUNG_MZQL21T9HCJR-00A07_S64G" + n),
                        "pci-0000:01:00.0-nvme-1", 1920383410176L, "SAMSUNG MZQL21T9HCJR-00A07", null, "S64G" + n,
                        null, null, null, null, false, false, "nvme")),
                new MachineInventory.Cpu("Intel(R) Xeon(R) Gold 6338", "x86_64", 2, 64, 128), 274877906944L,
                new MachineInventory.Boot("uefi", false),
                new MachineInventory.NetworkFacts(List.of("10.42.0.5/24"), "10.42.0.1", List.of("10.42.0.1")),
                new MachineInventory.InstallerInfo("bench"));
    }

    private record Run(Latencies latencies, double seconds) {
        int count() {
            return latencies.count();
        }

        double perSecond() {
            return count() / seconds;
        }

        String describe(String what) {
            return String.format(Locale.ROOT, "%-40s %8d ops in %6.2f s = %8.1f ops/s   p50 %6.2f ms   p99 %6.2f ms",
                    what, count(), seconds, perSecond(), latencies.percentileMillis(50), latencies.percentileMillis(99));
        }
    }
}
