package com.ultracloud.deployer.gateway.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.gateway.RunningGateway;
import com.ultracloud.deployer.gateway.credentials.ClusterCaStore;
import org.springframework.boot.ssl.pem.PemContent;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One node's nix-agent as the tests play it: the agent API over real mutual TLS on the machine-facing HTTPS port,
 * with the node certificate its install plan delivered (JDK HttpClient, trusting only the cluster CA).
 */
public final class NodeAgent {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunningGateway gw;
    private final HttpClient client;

    private NodeAgent(RunningGateway gw, HttpClient client) {
        this.gw = gw;
        this.client = client;
    }

    /** The agent of the node whose plan delivered {@code tls} ({@code plan.secrets.tls}). */
    public static NodeAgent of(RunningGateway gw, JsonNode tls) {
        try {
            return new NodeAgent(gw, client(tls.get("certificatePem").asText(), tls.get("privateKeyPem").asText(),
                    gw.bean(ClusterCaStore.class).ca().certificatePem()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the node's TLS client", e);
        }
    }

    /** An answer of the agent API. */
    public record Answer(int status, String etag, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }
    }

    /** {@code GET /api/v1/agent/desired-system[?wait=…]}, with {@code If-None-Match} when {@code etag} is given. */
    public CompletableFuture<Answer> desiredSystemAsync(String wait, String etag) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/api/v1/agent/desired-system" + (wait == null ? "" : "?wait=" + wait)))
                .timeout(Duration.ofSeconds(90)).GET();
        if (etag != null) {
            b.header("If-None-Match", etag);
        }
        return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString()).thenApply(NodeAgent::answer);
    }

    public Answer desiredSystem(String wait, String etag) {
        return desiredSystemAsync(wait, etag).join();
    }

    /** {@code POST /api/v1/agent/activation} with this body. */
    public Answer report(Map<String, Object> body) {
        return post("/api/v1/agent/activation", body);
    }

    private Answer post(String path, Map<String, Object> body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
            return answer(client.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (Exception e) {
            throw new IllegalStateException("POST " + path + " failed", e);
        }
    }

    /**
     * The directive the desired-system answer carries once the read model shows the operator's rescue or reprovision
     * (until then an INSTALLED machine is still answered its first-boot target).
     */
    public JsonNode awaitDirective() {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> desiredSystem(null, null), a -> a.status() == 200 && a.json().has("directive"))
                .json().get("directive");
    }

    /** {@code POST /api/v1/agent/directive}: the agent's word on directive {@code id}. */
    public Answer directive(String id, String result, String message) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("id", id);
        body.put("result", result);
        if (message != null) body.put("message", message);
        return post("/api/v1/agent/directive", body);
    }

    /** A GET on the machine-facing port with the node certificate, the body as bytes (the installer image). */
    public HttpResponse<byte[]> download(String url) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException("download of " + url + " failed", e);
        }
    }

    /** A report as the agent sends it: deployment, result, running system, generation, message. */
    public Answer report(String deploymentId, String result, String runningSystem, long generation, String message) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("deploymentId", deploymentId);
        body.put("result", result);
        body.put("generation", generation);
        if (runningSystem != null) body.put("runningSystem", runningSystem);
        if (message != null) body.put("message", message);
        return report(body);
    }

    private static Answer answer(HttpResponse<String> r) {
        return new Answer(r.statusCode(), r.headers().firstValue("ETag").orElse(null), r.body());
    }

    private URI uri(String path) {
        return URI.create("https://localhost:" + gw.httpsPort() + path);
    }

    private static HttpClient client(String certificatePem, String privateKeyPem, String caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", PemContent.of(caPem).getCertificates().get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        List<X509Certificate> chain = new ArrayList<>(PemContent.of(certificatePem).getCertificates());
        keys.setKeyEntry("node", PemContent.of(privateKeyPem).getPrivateKey(), "pw".toCharArray(),
                chain.toArray(X509Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "pw".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10)).build();
    }
}
