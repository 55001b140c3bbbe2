package com.ultracloud.deployer.installer.agent;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.installer.run.DeployerException;
import com.ultracloud.deployer.protocol.agent.ActivationReport;
import com.ultracloud.deployer.protocol.agent.DesiredSystem;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The agent API from the node's side (DESIGN §8): {@code GET /api/v1/agent/desired-system?wait=30s} with
 * {@code If-None-Match: <etag>} (200 + ETag: a new desired system; 304: unchanged within the wait; 204: nothing
 * desired yet) and {@code POST /api/v1/agent/activation}. Over https it presents the node certificate. Failures
 * are {@link DeployerException}s with one readable line (the problem+json {@code detail} when there is one).
 */
public final class AgentClient {

    public static final String DESIRED_SYSTEM = "/api/v1/agent/desired-system";
    public static final String ACTIVATION = "/api/v1/agent/activation";
    static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** One answer of the desired-system long-poll. */
    public sealed interface Poll {
        /** 200: the desired system and its ETag (null when the deployer sent none). */
        record Changed(DesiredSystem desired, String etag) implements Poll {
        }

        /** 304: the desired system is still the one of the ETag sent. */
        record Unchanged() implements Poll {
        }

        /** 204: the deployer wants nothing of this node yet. */
        record NothingDesired() implements Poll {
        }
    }

    private final URI base;
    private final HttpClient http;
    private final Duration requestTimeout;

    /** @param tls the node's mutual-TLS context (null: the JDK's defaults, for plain http in tests and the lab) */
    public AgentClient(URI base, SSLContext tls, Duration requestTimeout) {
        this.base = base;
        this.requestTimeout = requestTimeout;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
    }

    public URI base() {
        return base;
    }

    /** Long-polls the desired system: the deployer holds the answer up to {@code wait} while it equals {@code etag}. */
    public Poll desiredSystem(String etag, Duration wait) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + DESIRED_SYSTEM + "?wait=" + wait.toSeconds() + "s"))
                .timeout(requestTimeout.plus(wait))
                .header("Accept", "application/json")
                .GET();
        if (etag != null) {
            request.header("If-None-Match", etag);
        }
        HttpResponse<String> r = send(request.build(), "desired-system");
        return switch (r.statusCode()) {
            case 304 -> new Poll.Unchanged();
            case 204 -> new Poll.NothingDesired();
            case 200 -> new Poll.Changed(read(r), r.headers().firstValue("ETag").orElse(null));
            default -> throw new DeployerException(502, "desired-system: the deployer at " + base + " answered "
                    + r.statusCode() + ", expected 200, 204 or 304", null);
        };
    }

    /** Posts one activation report. */
    public void report(ActivationReport report) throws InterruptedException {
        String body;
        try {
            body = JSON.writeValueAsString(report);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        send(HttpRequest.newBuilder(URI.create(base + ACTIVATION))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), "activation");
    }

    private DesiredSystem read(HttpResponse<String> r) {
        try {
            return JSON.readValue(r.body(), DesiredSystem.class);
        } catch (IOException e) {
            // a desired system the agent cannot read is the deployer's bug: say which field, not the body
            throw new DeployerException(502, "desired-system: the answer of " + base + " is not a desired system ("
                    + oneLine(e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()) + ")", e);
        }
    }

    private HttpResponse<String> send(HttpRequest request, String what) throws InterruptedException {
        HttpResponse<String> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DeployerException(0, what + ": cannot reach the deployer at " + base + " (" + describe(e) + ")", e);
        }
        if (r.statusCode() >= 400) {
            String detail = null;
            try {
                JsonNode problem = JSON.readTree(r.body());
                if (problem != null && problem.hasNonNull("detail")) {
                    detail = problem.get("detail").asText();
                }
            } catch (IOException | RuntimeException e) {
                // not problem+json: a proxy page or not a deployer
            }
            throw new DeployerException(r.statusCode(), what + ": the deployer at " + base + " answered " + r.statusCode()
                    + (detail == null ? "" : ": " + oneLine(detail)), null);
        }
        return r;
    }

    private static String describe(IOException e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank())) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null || t.getMessage().isBlank() ? "" : ": " + oneLine(t.getMessage()));
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String line = s.replaceAll("\\s+", " ").trim();
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
