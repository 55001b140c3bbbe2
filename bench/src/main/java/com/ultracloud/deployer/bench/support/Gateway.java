package com.ultracloud.deployer.bench.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real gateway jar as a process: {@code postgres} profile on a given database, a fresh data dir,
 * LAB MODE ({@code deployer.security.enabled=false}: operator endpoints need no token; discover is still
 * sent the join secret the gateway generates), logging at WARN into {@code <work>/gateway.log}.
 * JVM options come from {@code GATEWAY_JAVA_OPTS} (empty: the JVM's defaults).
 */
public final class Gateway implements AutoCloseable {

    public static final Path JAR = Path.of(System.getProperty("gateway.jar", "api-gateway/target/ultracloud-deployer.jar"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final URI base;
    private final Path work;
    private final String javaOpts;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Gateway(Process process, URI base, Path work, String javaOpts) {
        this.process = process;
        this.base = base;
        this.work = work;
        this.javaOpts = javaOpts;
    }

    /** The JVM options every gateway gets ({@code GATEWAY_JAVA_OPTS}), or {@code JVM-defaults}. */
    public static String javaOptsLabel() {
        String opts = System.getenv().getOrDefault("GATEWAY_JAVA_OPTS", "").trim();
        return opts.isEmpty() ? "JVM-defaults" : opts;
    }

    /** Starts the gateway on {@code db} and returns once {@code /actuator/health} answers UP. */
    public static Gateway start(Database db, String... extraArgs) throws Exception {
        return start(db, 0, extraArgs);
    }

    /** As {@link #start(Database, String...)}, with the machine-facing HTTPS port (agents) on {@code httpsPort} (0: any). */
    public static Gateway start(Database db, int httpsPort, String... extraArgs) throws Exception {
        Path work = Files.createTempDirectory("ucbench-gateway");
        int port = freePort();
        String javaOpts = System.getenv().getOrDefault("GATEWAY_JAVA_OPTS", "").trim();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (!javaOpts.isEmpty()) {
            cmd.addAll(Arrays.asList(javaOpts.split("\\s+")));
        }
        cmd.addAll(List.of("-jar", JAR.toString(), "--spring.profiles.active=postgres",
                "--server.port=" + port, "--deployer.bootstrap.https-port=" + httpsPort, "--logging.level.root=WARN",
                "--spring.datasource.url=" + db.url(), "--deployer.data-dir=" + work.resolve("data"),
                "--deployer.security.enabled=false"));
        cmd.addAll(Arrays.asList(extraArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(work.resolve("gateway.log").toFile()).start();
        Gateway g = new Gateway(p, URI.create("http://127.0.0.1:" + port), work, javaOpts.isEmpty() ? "JVM-defaults" : javaOpts);
        g.awaitHealthy(Duration.ofMinutes(5));
        return g;
    }

    public URI uri(String pathAndQuery) {
        return base.resolve(pathAndQuery);
    }

    public String javaOpts() {
        return javaOpts;
    }

    public long pid() {
        return process.pid();
    }

    /** Resident memory of the gateway process in MiB. */
    public double rssMib() {
        return Host.rssKib(process.pid()) / 1024.0;
    }

    /** The join secret the gateway generated into its data dir (sent with every discover). */
    public String joinSecret() throws IOException {
        return Files.readString(work.resolve("data").resolve("join-secret")).trim();
    }

    /** The join secret's file in the gateway's data dir (for {@code installer lab --join-secret-file}). */
    public Path joinSecretFile() {
        return work.resolve("data").resolve("join-secret");
    }

    public HttpResponse<String> put(String pathAndQuery, Path jsonBody) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofFile(jsonBody)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String pathAndQuery, String jsonBody) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET /api/v1/admin/projections}: every event processor with its position and lag. */
    public JsonNode processors() throws IOException, InterruptedException {
        HttpResponse<String> r = get("/api/v1/admin/projections");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /api/v1/admin/projections answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Caught up: it has segments, each caught up, and no lag behind the event store's head. */
    public static boolean caughtUp(JsonNode processor) {
        JsonNode segments = processor.path("segments");
        if (!segments.isArray() || segments.isEmpty() || processor.path("error").asBoolean()) {
            return false;
        }
        for (JsonNode s : segments) {
            if (!s.path("caughtUp").asBoolean() || s.path("position").asLong() < processor.path("headPosition").asLong()) {
                return false;
            }
        }
        return processor.path("lag").isNull() || processor.path("lag").asLong() == 0;
    }

    /**
     * Waits until the named processors (all when none are named) have handled the whole event store;
     * answers the seconds waited. Polls every 20 ms.
     */
    public double awaitCaughtUp(Duration timeout, String... names) throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        List<String> wanted = Arrays.asList(names);
        while (true) {
            boolean all = true;
            for (JsonNode p : processors()) {
                if ((wanted.isEmpty() || wanted.contains(p.path("name").asText())) && !caughtUp(p)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return (System.nanoTime() - start) / 1e9;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("read side not caught up after " + timeout + ": " + processors());
            }
            Thread.sleep(20);
        }
    }

    private void awaitHealthy(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the gateway exited (" + process.exitValue() + "); its log: "
                        + work.resolve("gateway.log") + "\n" + tail());
            }
            try {
                if (get("/actuator/health").body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the gateway did not become healthy within " + timeout + "\n" + tail());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(work.resolve("gateway.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        if ("1".equals(System.getenv("BENCH_KEEP_DATABASE"))) {
            System.err.println("kept the gateway's work directory " + work + " (BENCH_KEEP_DATABASE=1): its log is gateway.log");
            return;
        }
        try (var files = Files.walk(work)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
