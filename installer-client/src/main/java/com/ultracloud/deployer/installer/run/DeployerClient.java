package com.ultracloud.deployer.installer.run;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.protocol.BootstrapPlan;
import com.ultracloud.deployer.protocol.DiscoverResponse;
import com.ultracloud.deployer.protocol.InstallProgress;
import com.ultracloud.deployer.protocol.InstallProgressAck;
import com.ultracloud.deployer.protocol.MachineInventory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The bootstrap API from the machine's side (docs/bootstrap.md): discover (with the join secret), plan
 * (long-poll), progress (with the progress token). JDK HttpClient; every failure becomes a
 * {@link DeployerException} whose message is one readable line (the problem+json {@code detail} when the
 * deployer sent one; never a token or the join secret).
 */
public final class DeployerClient {

    static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** The header discover carries the cluster join secret in (the gateway's JoinSecret). */
    public static final String JOIN_SECRET_HEADER = "X-Join-Secret";

    /**
     * How the installer proves itself to the deployer and checks the deployer: the cluster join secret the
     * image carries (null: none, for a deployer with open enrollment) and, for https URLs, the TLS context
     * that trusts the cluster CA (null: the JDK's default trust). {@code operatorToken}: the operator API
     * token the lab acts as an operator with (never the installer's: it asks for no operator action).
     */
    public record Access(String joinSecret, SSLContext tls, String operatorToken) {
        public static final Access NONE = new Access(null, null, null);

        public Access(String joinSecret, SSLContext tls) {
            this(joinSecret, tls, null);
        }

        @Override
        public String toString() {
            return "Access[joinSecret=" + (joinSecret == null ? "(none)" : "(redacted)") + ", tls="
                    + (tls == null ? "default" : "cluster CA") + ", operatorToken="
                    + (operatorToken == null ? "(none)" : "(redacted)") + "]";
        }
    }

    private final URI base;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Access access;

    public DeployerClient(URI base, Duration requestTimeout) {
        this(base, requestTimeout, Access.NONE);
    }

    public DeployerClient(URI base, Duration requestTimeout, Access access) {
        this.base = base;
        this.requestTimeout = requestTimeout;
        this.access = access;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (access.tls() != null) {
            builder.sslContext(access.tls());
        }
        this.http = builder.build();
    }

    /**
     * Checks a deployer URL: absolute http(s) with a host, no query. Returns the URL without a
     * trailing slash; throws {@link IllegalArgumentException} with a readable reason.
     */
    public static URI parseBaseUrl(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (Exception e) {
            throw new IllegalArgumentException("'" + url + "' is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("'" + url + "' is not an http:// or https:// URL");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException("'" + url + "' has no host");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("'" + url + "' must not have a query or fragment");
        }
        String s = uri.toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    public URI base() {
        return base;
    }

    /** Discover, with the join secret when the image carries one; answered at once. */
    public DiscoverResponse discover(MachineInventory facts) throws InterruptedException {
        return discover(facts, Duration.ZERO);
    }

    /**
     * Discover as a long-poll: while the instruction is {@code wait}, the deployer may hold the answer up to
     * {@code wait} and answers as soon as the instruction changes (an install token is ready, rescue). A
     * deployer without the long-poll ignores the parameter and answers at once.
     */
    public DiscoverResponse discover(MachineInventory facts, Duration wait) throws InterruptedException {
        return discover(facts, wait, false);
    }

    /**
     * {@code rescueReady}: this rescue installer wrote the operators' keys and runs sshd ({@code rescue=ready});
     * the deployer then records where to reach the machine and holds the answer until the rescue ends.
     */
    public DiscoverResponse discover(MachineInventory facts, Duration wait, boolean rescueReady) throws InterruptedException {
        List<String> params = new ArrayList<>();
        if (!wait.isZero() && !wait.isNegative()) {
            params.add("wait=" + wait.toMillis() + "ms");
        }
        if (rescueReady) {
            params.add("rescue=ready");
        }
        String query = params.isEmpty() ? "" : "?" + String.join("&", params);
        HttpRequest.Builder request = post("/api/v1/bootstrap/discover" + query, json(facts))
                .timeout(requestTimeout.plus(wait.isNegative() ? Duration.ZERO : wait));
        if (access.joinSecret() != null) {
            request.header(JOIN_SECRET_HEADER, access.joinSecret());
        }
        HttpResponse<String> r = send(request.build(), "discover");
        return read(r, DiscoverResponse.class, "discover");
    }

    /** The plan, or empty when the deployer answered 204 (not issued yet within {@code wait}). */
    public Optional<BootstrapPlan> plan(String token, String machineId, Duration wait) throws InterruptedException {
        String query = "?wait=" + wait.toMillis() + "ms"
                + (machineId == null ? "" : "&machineId=" + URLEncoder.encode(machineId, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/bootstrap/plan" + query))
                .timeout(requestTimeout.plus(wait))
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + token)
                .GET().build();
        HttpResponse<String> r = send(request, "plan");
        if (r.statusCode() == 204) {
            return Optional.empty();
        }
        return Optional.of(read(r, BootstrapPlan.class, "plan"));
    }

    /** A progress report: the install token and the plan's progress token (from its sealed secrets). */
    public InstallProgressAck progress(String token, String progressToken, InstallProgress progress) throws InterruptedException {
        HttpRequest.Builder request = post("/api/v1/bootstrap/progress", json(progress)).header("Authorization", "Bearer " + token);
        if (progressToken != null) {
            request.header(InstallProgress.PROGRESS_TOKEN_HEADER, progressToken);
        }
        HttpResponse<String> r = send(request.build(), "progress");
        return read(r, InstallProgressAck.class, "progress");
    }

    /** Operator API (the lab's {@code --operator-install}): {@code POST /api/v1/machines/{id}/{action}}. */
    public void machineAction(String machineId, String action, String jsonBody) throws InterruptedException {
        HttpResponse<String> r = send(operator(post("/api/v1/machines/" + machineId + "/" + action, jsonBody)).build(), action);
        if (r.statusCode() >= 300) {
            throw refused(r, action);
        }
    }

    /** Operator API (the lab): {@code GET /api/v1/machines/{id}}, the machine detail with its enrollment explanation. */
    public JsonNode machine(String machineId) throws InterruptedException {
        HttpResponse<String> r = send(operator(HttpRequest.newBuilder(URI.create(base + "/api/v1/machines/" + machineId))
                .timeout(requestTimeout).header("Accept", "application/json").GET()).build(), "machine");
        return read(r, JsonNode.class, "machine");
    }

    private HttpRequest.Builder operator(HttpRequest.Builder request) {
        return access.operatorToken() == null ? request : request.header("Authorization", "Bearer " + access.operatorToken());
    }

    private HttpRequest.Builder post(String path, String body) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpResponse<String> send(HttpRequest request, String what) throws InterruptedException {
        HttpResponse<String> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DeployerException(0, what + ": cannot reach the deployer at " + base + " (" + describe(e) + ")", e);
        } catch (IllegalArgumentException e) {
            throw new DeployerException(400, what + ": bad deployer URL " + base + " (" + e.getMessage() + ")", e);
        }
        if (r.statusCode() >= 400) {
            throw refused(r, what);
        }
        return r;
    }

    private DeployerException refused(HttpResponse<String> r, String what) {
        String detail = null;
        try {
            JsonNode problem = JSON.readTree(r.body());
            if (problem != null && problem.hasNonNull("detail")) {
                detail = problem.get("detail").asText();
            } else if (problem != null && problem.hasNonNull("title")) {
                detail = problem.get("title").asText();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: not a deployer, or a proxy page
        }
        String line = what + ": the deployer at " + base + " answered " + r.statusCode()
                + (detail == null ? "" : ": " + oneLine(detail));
        return DeployerException.answered(r, line);
    }

    private <T> T read(HttpResponse<String> r, Class<T> type, String what) {
        try {
            return JSON.readValue(r.body(), type);
        } catch (IOException e) {
            throw new DeployerException(502, what + ": the answer of " + base + " is not the expected JSON ("
                    + r.statusCode() + ")", e);
        }
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(IOException e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank())) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + oneLine(m));
    }

    private static String oneLine(String s) {
        String line = s.replaceAll("\\s+", " ").trim();
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
