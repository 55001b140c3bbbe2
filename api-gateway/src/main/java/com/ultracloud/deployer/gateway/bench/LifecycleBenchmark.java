package com.ultracloud.deployer.gateway.bench;

import com.ultracloud.deployer.gateway.machine.MachineCommands;
import com.ultracloud.deployer.gateway.machine.RequestContext;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.NodeAssignment;
import com.ultracloud.deployer.machine.api.command.CommissionMachine;
import com.ultracloud.deployer.machine.api.command.DiscoverMachine;
import com.ultracloud.deployer.machine.api.command.InspectMachine;
import com.ultracloud.deployer.machine.domain.MachineFingerprint;
import com.ultracloud.deployer.protocol.InventoryDigest;
import com.ultracloud.deployer.protocol.MachineInventory;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Drives N new machines through discover → inspect → commission through the real command bus and
 * event store, then, in the same run and database, a raw JDBC loop that inserts one row and commits,
 * with the same number of operations and threads. Prints both rates and their ratio, then exits.
 */
@Component
@Profile("bench")
class LifecycleBenchmark implements ApplicationRunner {

    private final MachineCommands commands;
    private final DataSource dataSource;
    private final ConfigurableApplicationContext context;
    private final int machines;
    private final int concurrency;
    private final boolean readSide;
    private final EventProcessingConfiguration processing;

    LifecycleBenchmark(MachineCommands commands, DataSource dataSource, ConfigurableApplicationContext context,
                       @Value("${bench.machines:2000}") int machines,
                       @Value("${bench.concurrency:4}") int concurrency,
                       @Value("${bench.read-side:true}") boolean readSide,
                       EventProcessingConfiguration processing) {
        this.commands = commands;
        this.dataSource = dataSource;
        this.context = context;
        this.machines = machines;
        this.concurrency = concurrency;
        this.readSide = readSide;
        this.processing = processing;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        String database = database();
        int warmup = Math.max(500, machines / 4);
        drive(warmup, 1_000_000); // JIT, connection pool and caches, not measured
        jdbcLoop(warmup * 3);
        if (!readSide) {
            // the command path alone: projections, policies and sagas stop consuming (they catch up later)
            processing.eventProcessors().values().forEach(EventProcessor::shutDown);
        }

        Result axon = drive(machines, 0);
        Result jdbc = jdbcLoop(machines * 3);
        double ratio = axon.perSecond() / jdbc.perSecond();
        System.out.println();
        System.out.println("lifecycle benchmark on " + database + ": " + machines + " machines x 3 commands, "
                + concurrency + " threads, read side " + (readSide ? "running" : "paused"));
        System.out.println(axon.describe("commands (discover/inspect/commission)"));
        System.out.println(jdbc.describe("raw JDBC insert+commit (baseline)"));
        System.out.printf(Locale.ROOT, "ratio commands/s : JDBC rows/s = %.2f (target >= 0.50)%n", ratio);
        System.out.println();
        System.exit(SpringApplication.exit(context, () -> 0));
    }

    private Result drive(int count, int offset) throws Exception {
        RequestContext who = RequestContext.system("bench");
        return timed(count, 3, i -> {
            MachineInventory facts = facts(offset + i);
            MachineFingerprint fp = MachineFingerprint.of(facts);
            MachineId id = fp.machineId();
            long[] latencies = new long[3];
            latencies[0] = time(() -> commands.send(new DiscoverMachine(id, fp.value(), facts, InventoryDigest.of(facts)), who));
            latencies[1] = time(() -> commands.send(new InspectMachine(id, null, null), who));
            latencies[2] = time(() -> commands.send(new CommissionMachine(id, new NodeAssignment(null,
                    "bench-" + (offset + i), "worker", "bench", Map.of("bench", "true"), null, null), null), who));
            return latencies;
        });
    }

    private Result jdbcLoop(int rows) throws Exception {
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
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
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
    private Result timed(int count, int opsPerJob, Job job) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long[] latencies = new long[count * opsPerJob];
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int i = thread; i < count; i += concurrency) {
                    long[] l = job.run(i);
                    System.arraycopy(l, 0, latencies, i * opsPerJob, opsPerJob);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        long elapsed = System.nanoTime() - start;
        pool.shutdown();
        return new Result(latencies, elapsed);
    }

    private static long time(java.util.concurrent.Callable<?> op) throws Exception {
        long t0 = System.nanoTime();
        op.call();
        return System.nanoTime() - t0;
    }

    private String database() {
        try (Connection c = dataSource.getConnection()) {
            return c.getMetaData().getDatabaseProductName() + " " + c.getMetaData().getDatabaseProductVersion()
                    + " (" + c.getMetaData().getURL() + ")";
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

    record Result(long[] latenciesNanos, long elapsedNanos) {
        double perSecond() {
            return latenciesNanos.length / (elapsedNanos / 1e9);
        }

        String describe(String what) {
            long[] sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            return String.format(Locale.ROOT, "%-40s %8d ops in %6.2f s = %8.1f ops/s   p50 %6.2f ms   p99 %6.2f ms",
                    what, sorted.length, elapsedNanos / 1e9, perSecond(), percentile(sorted, 50) / 1e6,
                    percentile(sorted, 99) / 1e6);
        }

        private static long percentile(long[] sorted, int p) {
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
        }
    }
}
