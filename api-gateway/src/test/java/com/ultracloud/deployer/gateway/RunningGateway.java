package com.ultracloud.deployer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.DeployerApplication;
import com.ultracloud.deployer.gateway.config.DeployerProperties;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The real application on a random port, started and stopped by a test (several times on one store,
 * for durability tests), with a small JSON client.
 * <p>
 * Security is on, as in production: after start the client reads the first-start admin token from
 * {@code <data-dir>/admin-token} and sends it as {@code Authorization: Bearer} with every request, except
 * to the machine-facing paths ({@code /api/v1/bootstrap/}, {@code /api/v1/agent/}) and except when the
 * caller sends its own Authorization header. {@link #as(String)} sends as another token, {@link #anonymous()}
 * with none.
 */
public final class RunningGateway implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> MACHINE_FACING = List.of("/api/v1/bootstrap/", "/api/v1/agent/");
    private final ConfigurableApplicationContext context;
    private final HttpClient http;
    private final String base;
    private final String bearer;
    private final boolean owner;

    private RunningGateway(ConfigurableApplicationContext context) {
        this.context = context;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        int port = ((ServletWebServerApplicationContext) context).getWebServer().getPort();
        this.base = "http://127.0.0.1:" + port;
        this.bearer = firstAdminToken(context);
        this.owner = true;
    }

    private RunningGateway(RunningGateway of, String bearer) {
        this.context = of.context;
        this.http = of.http;
        this.base = of.base;
        this.bearer = bearer;
        this.owner = false;
    }

    /** The admin token the first start wrote (null in lab mode, or when the database had tokens already). */
    private static String firstAdminToken(ConfigurableApplicationContext context) {
        DeployerProperties properties = context.getBean(DeployerProperties.class);
        java.nio.file.Path file = properties.dataDir().resolve("admin-token");
        if (!properties.security().enabled() || !java.nio.file.Files.exists(file)) {
            return null;
        }
        try {
            return java.nio.file.Files.readString(file).strip();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** This gateway's client sending {@code token} (null: no Authorization at all); closing it stops nothing. */
    public RunningGateway as(String token) {
        return new RunningGateway(this, token);
    }

    /** This gateway's client sending no credential. */
    public RunningGateway anonymous() {
        return as(null);
    }

    /** The token this client sends by default (the first-start admin token), or null. */
    public String token() {
        return bearer;
    }

    public static RunningGateway start(String... args) {
        return new RunningGateway(new SpringApplicationBuilder(DeployerApplication.class).run(defaults(args)));
    }

    /** The application plus extra (test-only) configuration classes, e.g. a stand-in query handler. */
    public static RunningGateway startWith(List<Class<?>> extraSources, String... args) {
        String[] all = defaults(args);
        List<Class<?>> sources = new ArrayList<>(List.of(DeployerApplication.class));
        sources.addAll(extraSources);
        return new RunningGateway(new SpringApplicationBuilder(sources.toArray(Class<?>[]::new)).run(all));
    }

    /** Random ports (HTTP and machine-facing HTTPS), and the tests' join secret unless the test sets its own. */
    private static String[] defaults(String... args) {
        List<String> all = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off"));
        if (List.of(args).stream().noneMatch(a -> a.startsWith("--deployer.bootstrap.join-secret="))) {
            all.add("--deployer.bootstrap.join-secret=" + TestInstallers.JOIN_SECRET);
        }
        if (List.of(args).stream().noneMatch(a -> a.startsWith("--deployer.bootstrap.https-port="))) {
            all.add("--deployer.bootstrap.https-port=0");
        }
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    /** Embedded default on a fresh H2 file under {@code dataDir}. */
    public static RunningGateway embedded(java.nio.file.Path dataDir, String... more) {
        List<String> args = new ArrayList<>(List.of("--deployer.data-dir=" + dataDir));
        args.addAll(List.of(more));
        return start(args.toArray(String[]::new));
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public String baseUrl() {
        return base;
    }

    /** The machine-facing HTTPS port (bootstrap and agent API). */
    public int httpsPort() {
        return context.getBean(com.ultracloud.deployer.gateway.agent.MachineTlsEndpoint.class).port();
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), Map.of());
    }

    public Response get(String path, Map<String, String> headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), headers);
    }

    public Response post(String path, Object body) {
        return post(path, body, Map.of());
    }

    /** A discover goes as the cluster's installer sends it (join secret, installer key: {@link TestInstallers}). */
    public Response post(String path, Object body, Map<String, String> headers) {
        return path.startsWith(TestInstallers.DISCOVER) ? TestInstallers.discover(this, path, body, headers)
                : sendPost(path, body, headers);
    }

    /** A POST exactly as given. */
    public Response sendPost(String path, Object body, Map<String, String> headers) {
        String text = body == null ? "" : body instanceof String s ? s : write(body);
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text)), headers);
    }

    public Response put(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)), Map.of());
    }

    public Response send(HttpRequest.Builder request, Map<String, String> headers) {
        headers.forEach(request::header);
        HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
        String path = built.uri().getPath();
        if (bearer != null && built.headers().firstValue("Authorization").isEmpty()
                && MACHINE_FACING.stream().noneMatch(path::startsWith)) {
            built = HttpRequest.newBuilder(built, (name, value) -> true).header("Authorization", "Bearer " + bearer).build();
        }
        try {
            HttpResponse<InputStream> r = http.send(built, HttpResponse.BodyHandlers.ofInputStream());
            String type = r.headers().firstValue("Content-Type").orElse("");
            String body;
            try (InputStream in = r.body()) {
                // an event stream never ends: its status and headers are the answer (EventStreamTest reads the frames)
                body = type.startsWith("text/event-stream") ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return new Response(r.statusCode(), type, r.headers().firstValue("ETag").orElse(null), body, r.headers());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpClient http() {
        return http;
    }

    /**
     * The headers that let a normal request past authentication: the tests' join secret for discover,
     * this client's bearer token (none in lab mode) for operator paths; the other machine-facing paths
     * authenticate with install tokens and certificates the caller brings.
     */
    public Map<String, String> authHeaders(String target) {
        if (target.startsWith("/api/v1/bootstrap/discover")) {
            return Map.of(com.ultracloud.deployer.gateway.credentials.JoinSecret.HEADER, TestInstallers.JOIN_SECRET);
        }
        boolean machineFacing = MACHINE_FACING.stream().anyMatch(target::startsWith);
        return bearer == null || machineFacing ? Map.of() : Map.of("Authorization", "Bearer " + bearer);
    }

    /** A request written byte for byte ({@link RawHttp}), with {@link #authHeaders} unless it names its own. */
    public RawHttp.Response raw(RawHttp.Request request, boolean authenticated) {
        RawHttp.Request r = request;
        if (authenticated) {
            r = r.with(authHeaders(request.target()).entrySet().stream().filter(h -> !request.has(h.getKey())).toList());
        }
        return RawHttp.send(((ServletWebServerApplicationContext) context).getWebServer().getPort(), r);
    }

    @Override
    public void close() {
        if (owner) {
            context.close();
        }
    }

    public static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public record Response(int status, String contentType, String etag, String body, HttpHeaders headers) {

        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON (" + status + "): " + body, e);
            }
        }

        public boolean isProblem() {
            return contentType.startsWith("application/problem+json");
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + (body.length() > 600 ? body.substring(0, 600) + "…" : body);
        }
    }
}
