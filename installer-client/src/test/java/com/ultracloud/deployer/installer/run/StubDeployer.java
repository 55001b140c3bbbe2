package com.ultracloud.deployer.installer.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    public record Answer(int status, String contentType, String body) {
        public static Answer json(int status, String body) {
            return new Answer(status, "application/json", body);
        }

        public static Answer problem(int status, String detail) {
            return new Answer(status, "application/problem+json",
                    "{\"type\":\"about:blank\",\"title\":\"refused\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}");
        }
    }

    public record Request(String method, String path, String query, String authorization, String body) {
        JsonNode json() {
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
    final List<Request> requests = new ArrayList<>();
    private final HttpServer server;

    public StubDeployer() throws IOException {
        this(0);
    }

    StubDeployer(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/api/v1/bootstrap/discover", ex -> answer(ex, discover));
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
                    ex.getRequestHeaders().getFirst("Authorization"), body));
            a = queue.size() > 1 ? queue.poll() : queue.peek();
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
        ex.sendResponseHeaders(a.status(), bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
