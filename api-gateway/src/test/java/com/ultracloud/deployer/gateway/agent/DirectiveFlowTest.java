package com.ultracloud.deployer.gateway.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.ultracloud.deployer.gateway.Hardware;
import com.ultracloud.deployer.gateway.RunningGateway;
import com.ultracloud.deployer.gateway.TestInstallers;
import com.ultracloud.deployer.gateway.bootstrap.Installs;
import com.ultracloud.deployer.gateway.bootstrap.LabIntent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rescue and reprovision of a machine that runs its installed system, through its nix-agent (issue 11, docs/day2.md),
 * against a real gateway over mutual TLS: the waiting long-poll answers the directive at once, with the installer's
 * netboot kernel and initrd (served to node certificates, their SHA-256 in the answer) and the kexec command line; the
 * agent's acknowledgement and the installer's boot show in the detail; a reprovisioned node's certificate is refused
 * from its acknowledgement on; a machine whose agent does not answer, or cannot kexec, is shown unreachable with what
 * to do, and the installer image the operator boots still carries the operation out.
 */
class DirectiveFlowTest {

    static final String INIT = "init=/nix/store/5x8bq0l2m1c7r4v9w3k6z0h2j8d1f4g7-nixos-system-ultracloud-installer/init";

    @TempDir
    static Path dataDir;
    @TempDir
    static Path image;
    static RunningGateway gw;
    static byte[] kernel;

    @BeforeAll
    static void start() throws Exception {
        kernel = new byte[300_000];
        new Random(11).nextBytes(kernel);
        Files.write(image.resolve("bzImage"), kernel);
        Files.write(image.resolve("initrd"), "an initrd".getBytes());
        // what NixOS's netbootIpxeScript writes
        Files.writeString(image.resolve("netboot.ipxe"), "#!ipxe\n# Use the cmdline variable\nkernel bzImage " + INIT
                + " initrd=initrd loglevel=4 console=ttyS0,115200 ${cmdline}\ninitrd initrd\nboot\n");
        gw = LabIntent.startWithoutHostDeployments("--deployer.data-dir=" + dataDir,
                "--deployer.install.image-directory=" + image,
                "--deployer.install.directive-acknowledge-timeout=8s",
                "--db-scheduler.polling-interval=1s");
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void anActiveMachinesRescueReachesItsWaitingAgentWhichLoadsTheInstallerAcknowledgesAndTheInstallerBoots() throws Exception {
        Installs.Done node = Installs.installFully(gw, Hardware.clone("server-nvme-sata-usb", 901), "worker", "general", "worker-901");
        NodeAgent agent = NodeAgent.of(gw, node.plan().at("/secrets/tls"));
        String m = "/api/v1/machines/" + node.machineId();
        assertThat(agent.report("first-boot", "healthy", "/nix/store/9999-installed", 0, null).json().get("state").asText())
                .isEqualTo("ACTIVE");
        await().atMost(Duration.ofSeconds(30)).until(() -> gw.get(m).json().get("state").asText().equals("ACTIVE"));
        assertThat(agent.desiredSystem(null, "\"first-boot:0\"").status()).as("nothing desired any more").isEqualTo(204);
        CompletableFuture<NodeAgent.Answer> waiting = agent.desiredSystemAsync("30s", null);
        Thread.sleep(300); // the poll is held before the operator acts (not needed for the answer, only to show it wakes)
        assertThat(gw.post(m + "/rescue", null).status()).isEqualTo(202);

        NodeAgent.Answer answer = waiting.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.etag()).isEqualTo("\"directive:directive-1\"");
        JsonNode directive = answer.json().get("directive");
        assertThat(answer.json().get("deploymentId").asText()).isEqualTo("directive");
        assertThat(answer.json().has("system")).isFalse();
        assertThat(directive.get("kind").asText()).isEqualTo("rescue");
        assertThat(directive.get("id").asText()).isEqualTo("directive-1");
        String deployer = "https://localhost:" + gw.httpsPort();
        assertThat(directive.at("/kernel/url").asText()).isEqualTo(deployer + "/images/installer/bzImage");
        assertThat(directive.at("/kernel/sha256").asText()).isEqualTo(sha256(kernel));
        assertThat(directive.at("/initrd/url").asText()).isEqualTo(deployer + "/images/installer/initrd");
        assertThat(texts(directive.get("commandLine"))).containsExactly(INIT, "loglevel=4", "console=ttyS0,115200",
                "ultracloud.deployer=" + deployer, "ultracloud.join=" + TestInstallers.JOIN_SECRET, "ultracloud.mode=rescue",
                "ultracloud.directive=directive-1");
        assertThat(detail(m).at("/directive/status").asText()).isEqualTo("pending");

        // the image goes to the cluster's nodes only
        HttpResponse<byte[]> download = agent.download(directive.at("/kernel/url").asText());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(kernel);
        assertThat(anonymous(directive.at("/kernel/url").asText())).isEqualTo(401);
        assertThat(gw.get("/images/installer/bzImage").status()).as("not on the operator port").isEqualTo(401);
        assertThat(agent.download(deployer + "/images/installer/netboot.ipxe").statusCode()).isEqualTo(404);

        NodeAgent.Answer ack = agent.directive("directive-1", "acknowledged", null);
        assertThat(ack.status()).as(ack.body()).isEqualTo(202);
        assertThat(ack.json().get("state").asText()).isEqualTo("RESCUE");
        assertThat(detail(m).at("/directive/status").asText()).isEqualTo("acknowledged");
        assertThat(agent.directive("directive-1", "acknowledged", null).status()).as("idempotent").isEqualTo(202);

        Installs.discover(gw, Hardware.clone("server-nvme-sata-usb", 901));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode d = detail(m);
            assertThat(d.at("/directive/status").asText()).isEqualTo("booted");
            assertThat(d.at("/rescue/status").asText()).isEqualTo("booted");
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(agent.desiredSystem(null, null).status())
                .as("nothing for the agent: the installer runs").isEqualTo(204));
        Map<String, String> principals = new LinkedHashMap<>();
        for (JsonNode e : gw.get(m + "/events").json()) {
            principals.putIfAbsent(e.get("type").asText(), e.at("/metadata/principal").asText());
        }
        assertThat(principals.get("DirectiveAcknowledged")).isEqualTo("machine:" + node.machineId());
        assertThat(principals.get("RescueBooted")).startsWith("installer");
        assertThat(gw.get(m + "/events").toString() + gw.get(m).toString()).doesNotContain(TestInstallers.JOIN_SECRET);
    }

    @Test
    void aReprovisionedNodesCertificateServesUntilItsAgentAcknowledgesTheDirective() {
        Installs.Done node = Installs.installFully(gw, Hardware.clone("server-nvme-sata-usb", 902), "worker", "general", "worker-902");
        NodeAgent agent = NodeAgent.of(gw, node.plan().at("/secrets/tls"));
        String m = "/api/v1/machines/" + node.machineId();
        assertThat(gw.post(m + "/reprovision", null).status()).isEqualTo(202);
        JsonNode directive = agent.awaitDirective();
        assertThat(directive.get("kind").asText()).isEqualTo("reprovision");
        assertThat(texts(directive.get("commandLine"))).contains("ultracloud.mode=install");
        assertThat(agent.download(directive.at("/initrd/url").asText()).statusCode()).isEqualTo(200);

        assertThat(agent.directive("directive-2", "acknowledged", null).status()).as("not its directive").isEqualTo(409);
        assertThat(agent.directive(directive.get("id").asText(), "kexeced", null).status()).isEqualTo(400);
        assertThat(agent.directive(directive.get("id").asText(), "acknowledged", null).status()).isEqualTo(202);
        NodeAgent.Answer refused = agent.desiredSystem(null, null);
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).contains("revoked (reprovisioned)");
    }

    @Test
    void aMachineWhoseAgentDoesNotAnswerIsShownUnreachableAndTheBootedImageStillRescuesIt() {
        Installs.Done node = Installs.installFully(gw, Hardware.clone("server-nvme-sata-usb", 903), "worker", "general", "worker-903");
        String m = "/api/v1/machines/" + node.machineId();
        assertThat(gw.post(m + "/rescue", null).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode d = detail(m);
            assertThat(d.at("/directive/status").asText()).isEqualTo("unreachable");
            assertThat(d.at("/directive/reason").asText()).contains("no nix-agent acknowledged the directive within 8 s");
            assertThat(d.at("/directive/action").asText()).contains("boot the machine from the installer image");
        });
        assertThat(gw.get(m + "/events").json().findValuesAsText("type")).contains("DirectiveFailed");
        Installs.discover(gw, Hardware.clone("server-nvme-sata-usb", 903));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(detail(m).at("/rescue/status").asText()).isEqualTo("booted");
            assertThat(detail(m).at("/directive/status").asText()).isEqualTo("booted");
        });
    }

    @Test
    void anAgentThatCannotKexecSaysWhyAndTheDetailTellsTheOperatorToBootTheImage() {
        Installs.Done node = Installs.installFully(gw, Hardware.clone("server-nvme-sata-usb", 904), "worker", "general", "worker-904");
        NodeAgent agent = NodeAgent.of(gw, node.plan().at("/secrets/tls"));
        String m = "/api/v1/machines/" + node.machineId();
        assertThat(gw.post(m + "/rescue", null).status()).isEqualTo(202);
        String id = agent.awaitDirective().get("id").asText();
        NodeAgent.Answer failed = agent.directive(id, "failed", "kexec-load: kexec exited 255: Cannot load bzImage");
        assertThat(failed.status()).as(failed.body()).isEqualTo(202);
        JsonNode d = detail(m);
        assertThat(d.at("/directive/status").asText()).isEqualTo("unreachable");
        assertThat(d.at("/directive/reason").asText()).isEqualTo("the nix-agent cannot carry it out: kexec-load: kexec exited 255: Cannot load bzImage");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(agent.desiredSystem(null, null).status()).as("the directive is not handed out again").isEqualTo(204));
    }

    private static JsonNode detail(String path) {
        return gw.get(path + "?consistent=true").json();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** The status of a GET over the machine-facing port without a client certificate (the JDK trusting all). */
    private static int anonymous(String url) throws Exception {
        javax.net.ssl.SSLContext trustAll = javax.net.ssl.SSLContext.getInstance("TLS");
        trustAll.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) { }
            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) { }
            public java.security.cert.X509Certificate[] getAcceptedIssuers() { return new java.security.cert.X509Certificate[0]; }
        }}, null);
        HttpClient client = HttpClient.newBuilder().sslContext(trustAll).build();
        return client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
