package com.ultracloud.deployer.installer.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import com.ultracloud.deployer.protocol.agent.ActivationReport;
import com.ultracloud.deployer.protocol.agent.DesiredSystem;
import com.ultracloud.deployer.protocol.agent.DirectiveReport;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * A real in-process deployer for the agent's tests (JDK HttpServer, or HttpsServer that requires a client
 * certificate): serves the desired system with an ETag, holds a request whose If-None-Match is current (the
 * long-poll, at most {@link #maxHold}) and wakes it when a new desired system is set; 204 while nothing is
 * desired. Records every request and every activation report; serves files under {@value #IMAGES} (a directive's
 * kernel and initrd) and takes directive reports (202, or {@link #directiveStatus}).
 */
final class FakeDeployer implements AutoCloseable {

    record Request(String method, String query, String ifNoneMatch, String clientCertificate, int status) {
    }

    /** A file served for download, and the client certificate (subject) of each request for it. */
    record Download(String path, String clientCertificate) {
    }

    static final String IMAGES = "/images/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final java.util.Map<String, byte[]> files = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Download> downloads = new ArrayList<>();
    private final List<DirectiveReport> directiveReports = new ArrayList<>();
    /** What {@code POST /api/v1/agent/directive} answers: 202, or e.g. 409 (not the machine's open directive). */
    volatile int directiveStatus = 202;
    private final HttpServer server;
    private final Object lock = new Object();
    private DesiredSystem desired;
    private String etag;
    private int version;
    private final List<Request> requests = new ArrayList<>();
    private final List<ActivationReport> reports = new ArrayList<>();
    /** Statuses the next desired-system requests are answered with instead (e.g. 503), in order. */
    final Deque<Integer> failNext = new ArrayDeque<>();
    volatile Duration maxHold = Duration.ofMillis(200);
    /** How many of the next final reports (healthy, failed, rolled-back) are answered 503 and not recorded. */
    final java.util.concurrent.atomic.AtomicInteger failFinalReports = new java.util.concurrent.atomic.AtomicInteger();

    private FakeDeployer(HttpServer server) {
        this.server = server;
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext(AgentClient.DESIRED_SYSTEM, this::desiredSystem);
        server.createContext(AgentClient.ACTIVATION, this::activation);
        server.createContext(AgentClient.DIRECTIVE, this::directive);
        server.createContext(IMAGES, this::image);
        server.start();
    }

    static FakeDeployer http() throws IOException {
        return new FakeDeployer(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
    }

    /** Over TLS with {@code server}'s certificate, refusing clients without a certificate its trust accepts. */
    static FakeDeployer https(SSLContext server) throws IOException {
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(server) {
            @Override
            public void configure(HttpsParameters params) {
                javax.net.ssl.SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
                ssl.setNeedClientAuth(true);
                params.setSSLParameters(ssl);
            }
        });
        return new FakeDeployer(https);
    }

    URI url() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
    }

    void desire(DesiredSystem next) {
        synchronized (lock) {
            version++;
            desired = next;
            etag = "\"g" + next.generation() + "-v" + version + "\"";
            lock.notifyAll();
        }
    }

    /** Nothing is desired any more (the first boot was confirmed): as the gateway, a 204 at once to an agent holding a tag. */
    void desireNothing() {
        synchronized (lock) {
            version++;
            desired = null;
            etag = null;
            lock.notifyAll();
        }
    }

    String etag() {
        synchronized (lock) {
            return etag;
        }
    }

    List<Request> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    /** Serves {@code content} as {@code name}: the artifact to download it, with its real SHA-256. */
    DesiredSystem.Artifact serve(String name, byte[] content) throws Exception {
        files.put(IMAGES + name, content);
        String sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
        return new DesiredSystem.Artifact(url() + IMAGES + name, sha256);
    }

    List<Download> downloads() {
        synchronized (lock) {
            return List.copyOf(downloads);
        }
    }

    List<DirectiveReport> directiveReports() {
        synchronized (lock) {
            return List.copyOf(directiveReports);
        }
    }

    List<ActivationReport> reports() {
        synchronized (lock) {
            return List.copyOf(reports);
        }
    }

    private void desiredSystem(HttpExchange ex) throws IOException {
        String ifNoneMatch = ex.getRequestHeaders().getFirst("If-None-Match");
        String certificate = clientCertificate(ex);
        int status;
        String body = null;
        String tag;
        synchronized (lock) {
            Integer fail = failNext.poll();
            if (fail != null) {
                requests.add(new Request("GET", ex.getRequestURI().getQuery(), ifNoneMatch, certificate, fail));
                send(ex, fail, "application/problem+json", "{\"title\":\"unavailable\",\"status\":" + fail
                        + ",\"detail\":\"the deployer is starting\"}", null);
                return;
            }
            long until = System.nanoTime() + maxHold.toNanos();
            // the long-poll: hold while the answer would be "nothing new", wake on desire()
            while ((desired == null ? ifNoneMatch == null : etag.equals(ifNoneMatch)) && System.nanoTime() < until) {
                try {
                    lock.wait(Math.max(1, (until - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (desired == null) {
                status = 204;
            } else if (etag.equals(ifNoneMatch)) {
                status = 304;
            } else {
                status = 200;
                body = JSON.writeValueAsString(desired);
            }
            tag = etag;
            requests.add(new Request("GET", ex.getRequestURI().getQuery(), ifNoneMatch, certificate, status));
        }
        send(ex, status, "application/json", body, tag);
    }

    private void activation(HttpExchange ex) throws IOException {
        ActivationReport report = JSON.readValue(ex.getRequestBody(), ActivationReport.class);
        if (report.isFinal() && failFinalReports.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            synchronized (lock) {
                requests.add(new Request("POST", null, null, clientCertificate(ex), 503));
            }
            send(ex, 503, "application/problem+json", "{\"title\":\"unavailable\",\"status\":503}", null);
            return;
        }
        synchronized (lock) {
            reports.add(report);
            requests.add(new Request("POST", null, null, clientCertificate(ex), 204));
            lock.notifyAll();
        }
        send(ex, 204, null, null, null);
    }

    private void image(HttpExchange ex) throws IOException {
        byte[] content = files.get(ex.getRequestURI().getPath());
        synchronized (lock) {
            downloads.add(new Download(ex.getRequestURI().getPath(), clientCertificate(ex)));
        }
        if (content == null) {
            send(ex, 404, "application/problem+json", "{\"title\":\"not found\",\"status\":404}", null);
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
        ex.sendResponseHeaders(200, content.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(content);
        }
    }

    private void directive(HttpExchange ex) throws IOException {
        DirectiveReport report = JSON.readValue(ex.getRequestBody(), DirectiveReport.class);
        int status = directiveStatus;
        synchronized (lock) {
            requests.add(new Request("POST", null, null, clientCertificate(ex), status));
            if (status == 202) {
                directiveReports.add(report);
            }
        }
        if (status == 202) {
            send(ex, 202, null, null, null);
        } else {
            send(ex, status, "application/problem+json", "{\"title\":\"conflict\",\"status\":" + status
                    + ",\"detail\":\"directive " + report.id() + " is not the open directive of machine-1\"}", null);
        }
    }

    /** Waits (real time) until {@code count} reports arrived. */
    List<ActivationReport> awaitReports(int count, Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (reports.size() < count && System.nanoTime() < until) {
                lock.wait(50);
            }
            return List.copyOf(reports);
        }
    }

    private static String clientCertificate(HttpExchange ex) {
        if (!(ex instanceof HttpsExchange https)) {
            return null;
        }
        try {
            return ((X509Certificate) https.getSSLSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        } catch (SSLPeerUnverifiedException e) {
            return "unverified: " + e.getMessage();
        }
    }

    private static void send(HttpExchange ex, int status, String type, String body, String etag) throws IOException {
        if (etag != null) {
            ex.getResponseHeaders().set("ETag", etag);
        }
        if (body == null) {
            ex.sendResponseHeaders(status, -1);
            ex.close();
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
