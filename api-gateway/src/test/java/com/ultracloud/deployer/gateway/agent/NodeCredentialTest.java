package com.ultracloud.deployer.gateway.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.gateway.Hardware;
import com.ultracloud.deployer.gateway.RunningGateway;
import com.ultracloud.deployer.gateway.TestInstallers;
import com.ultracloud.deployer.gateway.bootstrap.Installs;
import com.ultracloud.deployer.gateway.bootstrap.LabIntent;
import com.ultracloud.deployer.gateway.credentials.ClusterCaStore;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.domain.credentials.ClusterCa;
import com.ultracloud.deployer.machine.domain.credentials.NodeCredentialIssuer;
import com.ultracloud.deployer.machine.domain.credentials.NodeIdentity;
import com.ultracloud.deployer.machine.domain.credentials.TlsCredential;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.ssl.pem.PemContent;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The node credential over real TLS handshakes (DESIGN §10): the certificate a machine got in its plan is
 * what the agent API accepts from then on — on the machine-facing HTTPS port, whose own certificate comes
 * from the cluster CA — until the machine is reprovisioned or retired. JDK HttpClient, the node's key.
 */
class NodeCredentialTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static RunningGateway gw;

    @BeforeAll
    static void start() {
        gw = LabIntent.start("--deployer.data-dir=" + dataDir);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void anInstalledNodesCertificateIdentifiesItAtTheAgentApi() throws Exception {
        Installs.Done node = Installs.installFully(gw, Hardware.clone("server-nvme-sata-usb", 601), "worker", "general", "worker-601");
        JsonNode tls = node.plan().at("/secrets/tls");
        HttpResponse<String> r = agent(client(tls), "/api/v1/agent/identity");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode identity = JSON.readTree(r.body());
        assertThat(identity.get("machineId").asText()).isEqualTo(node.machineId());
        assertThat(identity.get("hostname").asText()).isEqualTo("worker-601");
        assertThat(identity.get("state").asText()).isEqualTo("INSTALLED");
        assertThat(identity.get("serial").asText()).isEqualTo(certificate(tls.get("certificatePem").asText()).getSerialNumber().toString(16));
    }

    @Test
    void withoutAClientCertificateOrOnThePlainPortItIs401() throws Exception {
        HttpResponse<String> noCertificate = agent(client(null), "/api/v1/agent/identity");
        assertThat(noCertificate.statusCode()).as(noCertificate.body()).isEqualTo(401);
        assertThat(noCertificate.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(noCertificate.headers().firstValue("WWW-Authenticate")).isPresent();
        RunningGateway.Response plain = gw.get("/api/v1/agent/identity");
        assertThat(plain.status()).as(plain.toString()).isEqualTo(401);
        assertThat(plain.json().get("detail").asText()).contains("HTTPS on port " + gw.httpsPort());
    }

    @Test
    void aCertificateOfAnotherCaIsNotAcceptedAndOneOurCaNeverIssuedToANodeIs403() throws Exception {
        ClusterCa other = ClusterCa.create("other", Clock.systemUTC());
        TlsCredential foreign = new NodeCredentialIssuer(other).issue(node("impostor"), Clock.systemUTC()).tls();
        // the server asks for certificates of the cluster CA only, so the JDK client does not even send this one
        HttpResponse<String> foreignCa = agent(client(foreign.certificatePem(), foreign.privateKeyPem(),
                gw.bean(ClusterCaStore.class).ca().certificatePem()), "/api/v1/agent/identity");
        assertThat(foreignCa.statusCode()).as(foreignCa.body()).isEqualTo(401);

        // signed by the cluster CA, but not a node certificate the deployer issued and recorded
        TlsCredential unrecorded = new NodeCredentialIssuer(gw.bean(ClusterCaStore.class).ca()).issue(node("stray"), Clock.systemUTC()).tls();
        HttpResponse<String> r = agent(client(unrecorded.certificatePem(), unrecorded.privateKeyPem(), unrecorded.caCertificatePem()),
                "/api/v1/agent/identity");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(r.body()).contains("was not issued to a node");
    }

    @Test
    void aRetiredMachinesCertificateIsRefused() throws Exception {
        Installs.Done node = Installs.installFully(gw, Hardware.clone("server-nvme-sata-usb", 602), "worker", "general", "worker-602");
        HttpClient client = client(node.plan().at("/secrets/tls"));
        String m = "/api/v1/machines/" + node.machineId();
        assertThat(gw.post(m + "/mark-failed", Map.of("reason", "bad DIMM")).status()).isEqualTo(202);
        HttpResponse<String> failed = agent(client, "/api/v1/agent/identity");
        assertThat(failed.statusCode()).as("a failed machine is still itself").isEqualTo(200);
        assertThat(JSON.readTree(failed.body()).get("state").asText()).isEqualTo("FAILED");
        assertThat(gw.post(m + "/retire", null).status()).isEqualTo(202);
        HttpResponse<String> retired = agent(client, "/api/v1/agent/identity");
        assertThat(retired.statusCode()).as(retired.body()).isEqualTo(403);
        assertThat(JSON.readTree(retired.body()).get("detail").asText()).contains("revoked (retired)");
    }

    @Test
    void aReprovisionedMachinesOldCertificateIsRefused() throws Exception {
        Installs.Done node = Installs.installFully(gw, Hardware.clone("server-nvme-sata-usb", 603), "worker", "general", "worker-603");
        HttpClient client = client(node.plan().at("/secrets/tls"));
        assertThat(agent(client, "/api/v1/agent/identity").statusCode()).isEqualTo(200);
        assertThat(gw.post("/api/v1/machines/" + node.machineId() + "/reprovision", null).status()).isEqualTo(202);
        // the agent still fetches its directive with the certificate: this gateway has no netboot image, so it says
        // why, and the agent reports it failed (the operator boots the installer image); that revokes the certificate
        NodeAgent agent = NodeAgent.of(gw, node.plan().at("/secrets/tls"));
        JsonNode directive = agent.awaitDirective();
        assertThat(directive.get("problem").asText()).startsWith("the deployer has no installer netboot image")
                .endsWith("boot the machine from the installer image by hand");
        assertThat(agent.directive(directive.get("id").asText(), "failed", directive.get("problem").asText()).status())
                .isEqualTo(202);
        HttpResponse<String> r = agent(client, "/api/v1/agent/identity");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(r.body()).contains("revoked (reprovisioned)");
    }

    @Test
    void aReprovisionMarkedFailedBeforeItsDirectiveWasAnsweredRevokesTheCertificate() throws Exception {
        Installs.Done node = Installs.installFully(gw, Hardware.clone("server-nvme-sata-usb", 606), "worker", "general", "worker-606");
        HttpClient client = client(node.plan().at("/secrets/tls"));
        String m = "/api/v1/machines/" + node.machineId();
        assertThat(gw.post(m + "/reprovision", null).status()).isEqualTo(202);
        assertThat(agent(client, "/api/v1/agent/identity").statusCode()).as("the directive's errand").isEqualTo(200);
        assertThat(gw.post(m + "/mark-failed", Map.of("reason", "PSU gone")).status()).isEqualTo(202);
        HttpResponse<String> r = agent(client, "/api/v1/agent/identity");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(r.body()).contains("revoked (reprovisioned)");
    }

    @Test
    void theHttpsPortServesTheBootstrapApiWithTheClusterCasCertificateAndNothingElse() throws Exception {
        HttpClient client = client(null);
        HttpResponse<String> discover = client.send(HttpRequest.newBuilder(uri("/api/v1/bootstrap/discover"))
                .header("Content-Type", "application/json").header("X-Join-Secret", TestInstallers.JOIN_SECRET)
                .POST(HttpRequest.BodyPublishers.ofString(Hardware.clone("server-nvme-sata-usb", 604).toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(discover.statusCode()).as(discover.body()).isEqualTo(200);
        X509Certificate served = (X509Certificate) discover.sslSession().orElseThrow().getPeerCertificates()[0];
        served.verify(gw.bean(ClusterCaStore.class).ca().certificate().getPublicKey());
        assertThat(served.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(agent(client, "/api/v1/machines").statusCode()).as("the operator API is not on this port").isEqualTo(404);
        // a client that trusts only the usual public CAs does not trust it
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri("/api/v1/agent/identity")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void theDiscoverLongPollWorksOnTheHttpsPort() throws Exception {
        HttpClient client = client(null);
        String facts = Hardware.clone("server-nvme-sata-usb", 605).toString();
        for (int i = 0; i < 2; i++) { // a new machine and a known one: both wait, both held (Servlet async over TLS)
            long before = System.nanoTime();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/api/v1/bootstrap/discover?wait=1500ms"))
                    .header("Content-Type", "application/json").header("X-Join-Secret", TestInstallers.JOIN_SECRET)
                    .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(facts)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).get("instruction").asText()).isEqualTo("wait");
            assertThat(Duration.ofNanos(System.nanoTime() - before)).as("held for the wait")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1400));
        }
    }

    // ------------------------------------------------------------------ helpers

    private static NodeIdentity node(String hostname) {
        return new NodeIdentity(MachineId.ofFingerprint("test:" + UUID.randomUUID()), hostname, hostname, null, List.of());
    }

    private static URI uri(String path) {
        return URI.create("https://localhost:" + gw.httpsPort() + path);
    }

    private static HttpResponse<String> agent(HttpClient client, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient client(JsonNode tls) throws Exception {
        String ca = gw.bean(ClusterCaStore.class).ca().certificatePem();
        return tls == null ? client(null, null, ca)
                : client(tls.get("certificatePem").asText(), tls.get("privateKeyPem").asText(), tls.get("caCertificatePem").asText());
    }

    /** A JDK HttpClient that trusts only the cluster CA and, when given, presents this key and certificate. */
    private static HttpClient client(String certificatePem, String privateKeyPem, String caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", PemContent.of(caPem).getCertificates().get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (certificatePem != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            List<X509Certificate> chain = new ArrayList<>(PemContent.of(certificatePem).getCertificates());
            keys.setKeyEntry("node", PemContent.of(privateKeyPem).getPrivateKey(), "pw".toCharArray(),
                    chain.toArray(X509Certificate[]::new));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "pw".toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static X509Certificate certificate(String pem) {
        return PemContent.of(pem).getCertificates().get(0);
    }
}
