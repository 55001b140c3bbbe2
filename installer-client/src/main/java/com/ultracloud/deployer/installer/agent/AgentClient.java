package com.ultracloud.deployer.installer.agent;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.installer.run.DeployerException;
import com.ultracloud.deployer.protocol.agent.ActivationReport;
import com.ultracloud.deployer.protocol.agent.DesiredSystem;
import com.ultracloud.deployer.protocol.agent.DirectiveReport;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The agent API from the node's side (DESIGN §8): {@code GET /api/v1/agent/desired-system?wait=30s} with
 * {@code If-None-Match: <etag>} (200 + ETag: a new desired system; 304: unchanged within the wait; 204: nothing
 * desired yet), {@code POST /api/v1/agent/activation} and {@code POST /api/v1/agent/directive}, and the download of a
 * directive's images. Over https it presents the node certificate. Failures are {@link DeployerException}s with one
 * readable line (the problem+json {@code detail} when there is one).
 */
public final class AgentClient {

    public static final String DESIRED_SYSTEM = "/api/v1/agent/desired-system";
    public static final String ACTIVATION = "/api/v1/agent/activation";
    public static final String DIRECTIVE = "/api/v1/agent/directive";
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
        post(ACTIVATION, report, "activation");
    }

    /** Posts what the agent did with a directive (the deployer answers 202, or 409 when it is not the open one). */
    public void reportDirective(DirectiveReport report) throws InterruptedException {
        post(DIRECTIVE, report, "directive");
    }

    /**
     * Downloads {@code artifact} into {@code file} with this client (over https the node certificate is presented),
     * hashing the bytes as they arrive. Anything but a 200 with exactly the artifact's SHA-256 leaves no file behind
     * and fails with one line naming the URL (and both digests).
     */
    public void download(DesiredSystem.Artifact artifact, Path file) throws InterruptedException {
        String what = "download of " + artifact.url();
        HttpRequest request = HttpRequest.newBuilder(URI.create(artifact.url())).timeout(requestTimeout).GET().build();
        String actual;
        try {
            HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = r.body()) {
                if (r.statusCode() != 200) {
                    throw new DeployerException(r.statusCode(), what + ": answered " + r.statusCode() + ", expected 200", null);
                }
                MessageDigest sha256 = sha256();
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.copy(new DigestInputStream(body, sha256), file, StandardCopyOption.REPLACE_EXISTING);
                actual = HexFormat.of().formatHex(sha256.digest());
            }
        } catch (IOException e) {
            deleteQuietly(file);
            throw new DeployerException(0, what + ": failed (" + describe(e) + ")", e);
        } catch (DeployerException e) {
            deleteQuietly(file);
            throw e;
        }
        if (!actual.equals(artifact.sha256())) {
            deleteQuietly(file);
            throw new DeployerException(502, what + ": SHA-256 mismatch, expected " + artifact.sha256() + ", got " + actual
                    + "; the file was deleted", null);
        }
    }

    private void post(String path, Object report, String what) throws InterruptedException {
        String body;
        try {
            body = JSON.writeValueAsString(report);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), what);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a file that cannot be deleted is overwritten by the next download: it is never loaded unverified
        }
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
            throw DeployerException.answered(r, what + ": the deployer at " + base + " answered " + r.statusCode()
                    + (detail == null ? "" : ": " + oneLine(detail)));
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
