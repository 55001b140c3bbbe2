package com.ultracloud.deployer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real gateway jar as a process on a chosen port, with a fresh data dir; JSON helpers for its API. */
final class GatewayProcess implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path REPO = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    static final Path GATEWAY_JAR = Path.of(System.getProperty("gateway.jar", "../api-gateway/target/ultracloud-deployer.jar"));
    static final Path INSTALLER_JAR = Path.of(System.getProperty("installer.jar", "../installer-client/target/ultracloud-installer.jar"));

    private final Process process;
    private final int port;
    private final int httpsPort;
    private final Path dataDir;
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();

    private GatewayProcess(Process process, int port, int httpsPort, Path dataDir, Path log) {
        this.process = process;
        this.port = port;
        this.httpsPort = httpsPort;
        this.dataDir = dataDir;
        this.log = log;
    }

    /** The cluster join secret the gateway generates into its data dir on first start (0600). */
    static Path joinSecretFile(Path dataDir) {
        return dataDir.resolve("join-secret");
    }

    /** Puts a join secret into a data dir before its gateway first starts (it keeps what it finds). */
    static Path seedJoinSecret(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        byte[] random = new byte[32];
        new java.security.SecureRandom().nextBytes(random);
        Path file = joinSecretFile(dataDir);
        Files.writeString(file, java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random) + "\n");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    Path joinSecretFile() {
        return joinSecretFile(dataDir);
    }

    /** The cluster CA certificate the gateway writes into its data dir, for {@code installer --ca-cert}. */
    Path caCertificate() {
        return dataDir.resolve("cluster-ca.pem");
    }

    /** The machine-facing HTTPS base URL (bootstrap and agent API). */
    String httpsUrl() {
        return "https://localhost:" + httpsPort;
    }

    int httpsPort() {
        return httpsPort;
    }

    int port() {
        return port;
    }

    /** The process id: with the host name, what Axon's token store writes as a segment's owner ({@code pid@host}). */
    long pid() {
        return process.pid();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts the jar (H2 under {@code dataDir}, poll-after 1 s); returns once {@code /actuator/health} is UP. */
    static GatewayProcess start(int port, Path dataDir, String... extraArgs) throws Exception {
        return start(port, freePort(), dataDir, extraArgs);
    }

    /** As {@link #start(int, Path, String...)} with the machine-facing HTTPS port given (a restart keeps the agents' URL). */
    static GatewayProcess start(int port, int httpsPort, Path dataDir, String... extraArgs) throws Exception {
        Files.createDirectories(dataDir);
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx512m", "-jar", GATEWAY_JAR.toString(),
                "--server.port=" + port, "--deployer.data-dir=" + dataDir, "--deployer.bootstrap.https-port=" + httpsPort,
                "--deployer.bootstrap.poll-after-seconds=1", "--logging.level.root=WARN"));
        cmd.addAll(List.of(extraArgs));
        return launch(cmd, null, port, httpsPort, dataDir, dataDir.resolve("gateway.log"));
    }

    /**
     * The jar as the README starts it, {@code java -jar api-gateway/target/ultracloud-deployer.jar}, with {@code workDir}
     * as its working directory: every setting at its default (data dir {@code ./data}, poll-after 15 s) but the two ports,
     * which a test must choose free. Its log goes to {@code workDir/gateway.log}.
     */
    static GatewayProcess startAsReadme(Path workDir, int port, int httpsPort) throws Exception {
        List<String> cmd = List.of(javaBin(), "-Xmx512m", "-jar", GATEWAY_JAR.toAbsolutePath().toString(),
                "--server.port=" + port, "--deployer.bootstrap.https-port=" + httpsPort, "--logging.level.root=WARN");
        return launch(cmd, workDir, port, httpsPort, workDir.resolve("data"), workDir.resolve("gateway.log"));
    }

    /** Starts {@code cmd} (in {@code workDir} when given); returns once {@code /actuator/health} is UP. */
    private static GatewayProcess launch(List<String> cmd, Path workDir, int port, int httpsPort, Path dataDir, Path log)
            throws Exception {
        // appended: a gateway restarted on the same data dir keeps the log of the one before
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        Process p = builder.start();
        GatewayProcess g = new GatewayProcess(p, port, httpsPort, dataDir, log);
        Instant until = Instant.now().plusSeconds(300);
        while (Instant.now().isBefore(until)) {
            if (!p.isAlive()) {
                throw new IllegalStateException("gateway exited with " + p.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> r = g.http.send(HttpRequest.newBuilder(g.uri("/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("UP")) {
                    return g;
                }
            } catch (ConnectException e) {
                // not listening yet
            }
            Thread.sleep(300);
        }
        g.close();
        throw new IllegalStateException("gateway not healthy within 300 s:\n" + Files.readString(log));
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    URI uri(String path) {
        return URI.create(url() + path);
    }

    /** The admin token the gateway's first start wrote into its data dir (absent in lab mode). */
    Path adminTokenFile() {
        return dataDir.resolve("admin-token");
    }

    /** The operator's credential on an operator path (the first-start admin token); machine-facing paths have their own. */
    private HttpRequest.Builder operator(HttpRequest.Builder request, String path) throws IOException {
        boolean machineFacing = path.startsWith("/api/v1/bootstrap/") || path.startsWith("/api/v1/agent/");
        if (!machineFacing && Files.exists(adminTokenFile())) {
            request.header("Authorization", "Bearer " + Files.readString(adminTokenFile()).strip());
        }
        return request;
    }

    void importLabIntent() throws Exception {
        importIntent(Files.readString(REPO.resolve("nix/examples/lab/expected-cluster-state.json")));
    }

    /** The lab intent without its host deployments: nothing drains or rolls out the machines but the test. */
    void importLabIntentWithoutHostDeployments() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode doc = (com.fasterxml.jackson.databind.node.ObjectNode)
                JSON.readTree(REPO.resolve("nix/examples/lab/expected-cluster-state.json").toFile());
        doc.putArray("hostDeployments");
        importIntent(JSON.writeValueAsString(doc));
    }

    private void importIntent(String intent) throws Exception {
        HttpResponse<String> r = http.send(operator(HttpRequest.newBuilder(uri("/api/v1/cluster/intent")), "/api/v1/cluster/intent")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(intent)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException("intent import answered " + r.statusCode() + ": " + r.body());
        }
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(operator(HttpRequest.newBuilder(uri(path)), path).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    }

    /** A GET expected to fail with {@code status}: its problem body, after checking the content type and that a 503 says when to retry. */
    JsonNode getProblem(String path, int status) throws Exception {
        HttpResponse<String> r = http.send(operator(HttpRequest.newBuilder(uri(path)), path).build(),
                HttpResponse.BodyHandlers.ofString());
        String what = "GET " + path + " answered " + r.statusCode() + " " + r.headers().map() + ": " + r.body();
        if (r.statusCode() != status || !r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")
                || (status == 503 && r.headers().firstValue("Retry-After").isEmpty())) {
            throw new AssertionError("expected a " + status + " problem" + (status == 503 ? " with Retry-After" : "") + "; " + what);
        }
        return JSON.readTree(r.body());
    }

    int status(String path) throws Exception {
        return http.send(operator(HttpRequest.newBuilder(uri(path)), path).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** A POST; a discover goes as the cluster's installer sends it, with the join secret. */
    JsonNode post(String path, Object body) throws Exception {
        HttpRequest.Builder request = operator(HttpRequest.newBuilder(uri(path)), path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (path.startsWith("/api/v1/bootstrap/discover")) {
            request.header("X-Join-Secret", Files.readString(joinSecretFile()).strip());
        }
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().isBlank() ? null : JSON.readTree(r.body());
    }

    /** The machine whose hostname is exactly {@code hostname}, or null. */
    JsonNode machineByHostname(String hostname) throws Exception {
        JsonNode page = get("/api/v1/machines?size=200&q=" + hostname);
        for (JsonNode m : page.get("items")) {
            if (hostname.equals(m.path("hostname").asText())) {
                return m;
            }
        }
        return null;
    }

    /** The listed state of the machine with that hostname, null when none is listed. */
    String stateOfHost(String hostname) throws Exception {
        JsonNode m = machineByHostname(hostname);
        return m == null ? null : m.path("state").asText();
    }

    List<String> eventTypes(String machineId) throws Exception {
        List<String> types = new ArrayList<>();
        get("/api/v1/machines/" + machineId + "/events").forEach(e -> types.add(e.get("type").asText()));
        return types;
    }

    Path log() {
        return log;
    }

    /** {@code kill -9}: no shutdown hook, no flush, nothing committed that was not already. */
    void kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
