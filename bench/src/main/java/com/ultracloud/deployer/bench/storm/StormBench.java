package com.ultracloud.deployer.bench.storm;

import com.ultracloud.deployer.bench.support.Database;
import com.ultracloud.deployer.bench.support.Gateway;
import com.ultracloud.deployer.bench.support.Host;
import com.ultracloud.deployer.bench.support.HttpLoad;
import com.ultracloud.deployer.bench.support.LabFacts;
import com.ultracloud.deployer.bench.support.Options;
import com.ultracloud.deployer.bench.support.Results;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Boot storm: {@code --installers} new machines POST {@code /api/v1/bootstrap/discover} with at most
 * {@code --concurrency} in flight (default: all at once), to the real gateway jar on a fresh PostgreSQL
 * database, then the same load against {@link BareInsertServer} on its own fresh database. Both get
 * {@code --warmup} discovers of other machines first (not counted; default max(2000, installers)). Also
 * reports how long the gateway's read side took to catch up after the last answer, and the CPU each
 * request cost: the server JVM's, and the whole machine's.
 */
public final class StormBench {

    public static void main(String[] args) throws Exception {
        Options o = new Options(args);
        int installers = o.integer("installers", 5000);
        int concurrency = o.integer("concurrency", installers);
        // a gateway that has run for a while: with 200 warm-up discovers the JIT compiler was still at work
        // during the storm and doubled its CPU per discover (27 ms against 12 ms after 4,000)
        int warmup = o.integer("warmup", Math.max(2000, installers));
        String bench = "storm-" + installers;
        Host.describe(bench, "installers", String.valueOf(installers), "concurrency", String.valueOf(concurrency),
                "warmup", String.valueOf(warmup), "security", "lab-mode", "gateway_java_opts",
                Gateway.javaOptsLabel());
        List<byte[]> warm = LabFacts.bodies(warmup, 1);
        List<byte[]> storm = LabFacts.bodies(installers, 2);

        HttpLoad.Outcome deployer;
        double catchUp;
        double rss;
        double gatewayCpu;
        double gatewayJit;
        double machineCpu;
        try (Database db = Database.create("storm"); Gateway gateway = Gateway.start(db)) {
            Map<String, String> headers = Map.of("X-Join-Secret", gateway.joinSecret());
            URI discover = gateway.uri("/api/v1/bootstrap/discover");
            HttpLoad.post(discover, headers, warm, Math.min(concurrency, 64));
            gateway.awaitCaughtUp(Duration.ofMinutes(10));
            long gatewayBefore = Host.processCpuMillis(gateway.pid());
            long jitBefore = Host.compilerCpuMillis(gateway.pid());
            long machineBefore = Host.machineBusyMillis();
            deployer = HttpLoad.post(discover, headers, storm, concurrency);
            System.out.println(deployer.describe("deployer discover"));
            catchUp = gateway.awaitCaughtUp(Duration.ofMinutes(30));
            // until the read side has caught up: a discover's whole cost, its events' processing included
            gatewayCpu = (Host.processCpuMillis(gateway.pid()) - gatewayBefore) / (double) installers;
            gatewayJit = (Host.compilerCpuMillis(gateway.pid()) - jitBefore) / (double) installers;
            machineCpu = (Host.machineBusyMillis() - machineBefore) / (double) installers;
            rss = gateway.rssMib();
        }
        HttpLoad.Outcome bare;
        double bareServerCpu;
        double bareServerJit;
        double bareMachineCpu;
        try (Database db = Database.create("stormbase"); BareProcess server = BareProcess.start(db)) {
            URI discover = URI.create("http://127.0.0.1:" + server.port + "/api/v1/bootstrap/discover");
            HttpLoad.post(discover, Map.of(), warm, Math.min(concurrency, 64));
            long serverBefore = Host.processCpuMillis(server.process.pid());
            long serverJitBefore = Host.compilerCpuMillis(server.process.pid());
            long machineBefore = Host.machineBusyMillis();
            bare = HttpLoad.post(discover, Map.of(), storm, concurrency);
            bareServerCpu = (Host.processCpuMillis(server.process.pid()) - serverBefore) / (double) installers;
            bareServerJit = (Host.compilerCpuMillis(server.process.pid()) - serverJitBefore) / (double) installers;
            bareMachineCpu = (Host.machineBusyMillis() - machineBefore) / (double) installers;
            System.out.println(bare.describe("baseline: bare insert+commit"));
        }
        Results.sameRun(bench, "throughput", deployer.throughput(), bare.throughput(), "req/s");
        for (int p : new int[]{50, 90, 99}) {
            Results.sameRun(bench, "p" + p, deployer.latencies().percentileMillis(p), bare.latencies().percentileMillis(p), "ms");
        }
        Results.sameRun(bench, "max", deployer.latencies().maxMillis(), bare.latencies().maxMillis(), "ms");
        Results.sameRun(bench, "errors", deployer.errors(), bare.errors(), "count");
        Results.sameRun(bench, "server-cpu-per-request", gatewayCpu, bareServerCpu, "ms",
                "note", "the gateway JVM's CPU until its read side caught up vs the baseline server JVM's");
        Results.sameRun(bench, "server-jit-cpu-per-request", gatewayJit, bareServerJit, "ms",
                "note", "the part of server-cpu-per-request spent by the JVM's JIT compiler threads");
        Results.sameRun(bench, "machine-cpu-per-request", machineCpu, bareMachineCpu, "ms",
                "note", "every process incl. PostgreSQL and the load generator");
        Results.figure(bench, "read-side-catch-up", catchUp, "s", "note", "after the last answer");
        Results.figure(bench, "gateway-rss", rss, "MiB", "java_opts", Gateway.javaOptsLabel());
    }

    /** The baseline server as a child JVM on this program's classpath. */
    private static final class BareProcess implements AutoCloseable {
        final Process process;
        final int port;

        private BareProcess(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static BareProcess start(Database db) throws Exception {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), BareInsertServer.class.getName(), db.url(), Database.USER)
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("LISTENING ")) {
                    int port = Integer.parseInt(line.substring("LISTENING ".length()).trim());
                    Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
                    drain.setDaemon(true);
                    drain.start();
                    return new BareProcess(p, port);
                }
            }
            throw new IllegalStateException("the baseline server exited before listening");
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private StormBench() {
    }
}
