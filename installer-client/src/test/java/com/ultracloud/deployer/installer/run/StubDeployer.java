package com.ultracloud.deployer.installer.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.protocol.BootstrapPlan;
import com.ultracloud.deployer.protocol.InstallProgress;
import com.ultracloud.deployer.protocol.seal.InstallerKey;
import com.ultracloud.deployer.protocol.seal.PlanSecretsSeal;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A tiny in-process deployer (com.sun.net.httpserver) for the installer's tests: answers discover,
 * plan and progress from scripted queues (the last answer of a queue repeats) and records every
 * request it got.
 */
public final class StubDeployer implements AutoCloseable {

    public record Answer(int status, String contentType, String body, String retryAfter) {
        public Answer(int status, String contentType, String body) {
            this(status, contentType, body, null);
        }

        public Answer withRetryAfter(String value) {
            return new Answer(status, contentType, body, value);
        }

        public static Answer json(int status, String body) {
            return new Answer(status, "application/json", body);
        }

        public static Answer problem(int status, String detail) {
            return new Answer(status, "application/problem+json",
                    "{\"type\":\"about:blank\",\"title\":\"refused\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}");
        }
    }

    public record Request(String method, String path, String query, String authorization, String joinSecret,
                          String progressToken, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();

    public final Deque<Answer> discover = new ArrayDeque<>();
    public final Deque<Answer> plan = new ArrayDeque<>();
    public final Deque<Answer> progress = new ArrayDeque<>();
    /**
     * Plan answers with secrets in the clear get them sealed, as the deployer does, to the key of the last
     * discover (for the machine id the discover answers name), with a progress token {@code progress-<planId>}.
     */
    public boolean sealPlans = true;
    /** A discover with {@code ?wait=} is held this long before it is answered, as a long-polling deployer does. */
    public volatile java.time.Duration discoverHold = java.time.Duration.ZERO;
    final List<Request> requests = new ArrayList<>();
    private final HttpServer server;

    public StubDeployer() throws IOException {
        this(0);
    }

    StubDeployer(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/api/v1/bootstrap/discover", ex -> {
            String query = ex.getRequestURI().getQuery();
            if (query != null && query.contains("wait=") && !discoverHold.isZero()) {
                try {
                    Thread.sleep(discoverHold.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            answer(ex, discover);
        });
        server.createContext("/api/v1/bootstrap/plan", ex -> answer(ex, plan));
        server.createContext("/api/v1/bootstrap/progress", ex -> answer(ex, progress));
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public synchronized List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    synchronized List<JsonNode> progressReports() {
        return requests("/api/v1/bootstrap/progress").stream().map(Request::json).toList();
    }

    private void answer(HttpExchange ex, Deque<Answer> queue) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Answer a;
        synchronized (this) {
            requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(), ex.getRequestURI().getQuery(),
                    ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("X-Join-Secret"),
                    ex.getRequestHeaders().getFirst(InstallProgress.PROGRESS_TOKEN_HEADER), body));
            a = queue.size() > 1 ? queue.poll() : queue.peek();
            if (a != null && queue == plan && sealPlans && a.status() == 200) {
                a = sealed(a);
            }
        }
        if (a == null) {
            a = Answer.problem(500, "no scripted answer");
        }
        if (a.status() == 204) {
            ex.sendResponseHeaders(204, -1);
            ex.close();
            return;
        }
        byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", a.contentType());
        if (a.retryAfter() != null) {
            ex.getResponseHeaders().add("Retry-After", a.retryAfter());
        }
        ex.sendResponseHeaders(a.status(), bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The machine id every scripted discover answer names (TestMachines.discover). */
    static final String MACHINE_ID = "11111111-2222-3333-4444-555555555555";

    private Answer sealed(Answer a) throws IOException {
        ObjectNode plan = (ObjectNode) JSON.readTree(a.body());
        JsonNode secrets = plan.path("secrets");
        if (!secrets.has("sshHostKey") && !secrets.has("tls")) {
            return a;
        }
        String key = requests.stream().filter(r -> r.path().equals("/api/v1/bootstrap/discover"))
                .reduce((first, second) -> second).map(r -> r.json().path("installer").path("publicKey").asText(null))
                .orElseThrow(() -> new IllegalStateException("a plan was asked for before any discover with a key"));
        String planId = plan.path("plan").path("planId").asText();
        BootstrapPlan.Secrets clear = JSON.treeToValue(secrets, BootstrapPlan.Secrets.class);
        BootstrapPlan.Sealed box = PlanSecretsSeal.seal(new BootstrapPlan.Secrets(clear.sshHostKey(), clear.tls(),
                "progress-" + planId), InstallerKey.parsePublicKey(key), MACHINE_ID, planId);
        plan.set("secrets", JSON.valueToTree(BootstrapPlan.Secrets.sealedAs(box)));
        return Answer.json(a.status(), JSON.writeValueAsString(plan));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
