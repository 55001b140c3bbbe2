package com.ultracloud.deployer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 11 end to end, real jars over real TLS, no BMC: the gateway jar (H2, with the installer's netboot files) and
 * {@code installer lab --agents}, whose six machines install and run the real nix-agent. Then, as an operator:
 * <ul>
 *   <li>worker-1 (ACTIVE) is rescued: its agent gets the directive, downloads the netboot image (checksums), kexecs
 *       (simulated: the lab boots the installer on it), the installer writes the intent's keys and says ready; exit-rescue
 *       reboots it into its system and it is ACTIVE again;</li>
 *   <li>worker-2 is drained, reprovisioned (the same way into the installer, which reinstalls it from a new plan) and is
 *       ACTIVE again with a new certificate serial; the old certificate is refused by the agent API;</li>
 *   <li>storage-1 is drained and retired; its certificate is refused.</li>
 * </ul>
 * The history shows each step with the operator's principal, the agent's and the installer's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Day2IT {

    private static final List<String> HOSTS = List.of("cp-1", "cp-2", "cp-3", "storage-1", "worker-1", "worker-2");

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) // a failure leaves the lab's files to look at
    static Path tmp;
    static GatewayProcess gateway;
    static InstallerProcess lab;
    static final Map<String, String> ids = new LinkedHashMap<>();

    @BeforeAll
    static void startGatewayAndLab() throws Exception {
        Path image = Files.createDirectories(tmp.resolve("netboot"));
        byte[] kernel = new byte[200_000];
        new Random(7).nextBytes(kernel);
        Files.write(image.resolve("bzImage"), kernel);
        Files.write(image.resolve("initrd"), "the installer's initrd".getBytes());
        Files.writeString(image.resolve("netboot.ipxe"), "#!ipxe\nkernel bzImage "
                + "init=/nix/store/5x8bq0l2m1c7r4v9w3k6z0h2j8d1f4g7-nixos-system-ultracloud-installer/init initrd=initrd "
                + "loglevel=4 ${cmdline}\ninitrd initrd\nboot\n");
        gateway = GatewayProcess.start(GatewayProcess.freePort(), tmp.resolve("gateway"),
                "--deployer.install.image-directory=" + image);
        gateway.importLabIntentWithoutHostDeployments();
        lab = InstallerProcess.labWithAgents(tmp, gateway, "--timeout", "900");
        for (String host : HOSTS) {
            await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(gateway.stateOfHost(host)).as(host + "\n" + lab.out()).isEqualTo("ACTIVE"));
            ids.put(host, gateway.machineByHostname(host).get("machineId").asText());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (lab != null) {
            lab.stop();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    @Order(1)
    void anActiveMachineIsRescuedThroughItsAgentAndExitsRescue() throws Exception {
        String m = "/api/v1/machines/" + ids.get("worker-1");
        gateway.post(m + "/rescue", Map.of());
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode d = detail(m);
            assertThat(d.path("rescue").path("status").asText()).as(lab.out()).isEqualTo("ready");
            assertThat(d.path("directive").path("status").asText()).isEqualTo("booted");
        });
        JsonNode ready = detail(m);
        assertThat(ready.path("rescue").path("addresses")).isNotEmpty();
        Path keys = labDir("worker-1").resolve("kexec-1/run/ultracloud/authorized_keys"); // the kexec'd installer's
        List<String> intentKeys = new ArrayList<>();
        JSON_INTENT().at("/cluster/operatorSshKeys").forEach(k -> intentKeys.add(k.asText()));
        assertThat(Files.readAllLines(keys)).containsExactlyElementsOf(intentKeys);
        // the agent kexec'd into the installer: the image checked, the installer loaded, then systemctl kexec
        List<List<String>> commands = agentCommands("worker-1");
        assertThat(commands.stream().map(c -> c.get(0) + " " + c.get(1)).toList())
                .containsSubsequence("kexec -l", "systemctl kexec");
        assertThat(Files.readString(tmp.resolve("commands.jsonl"))).doesNotContain(Files.readString(gateway.joinSecretFile()).strip());

        gateway.post(m + "/exit-rescue", Map.of());
        String label = labDir("worker-1").getFileName().toString();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(lab.out()).containsPattern("\\[" + label + "\\] .*rebooting into its installed system"));
        assertThat(detail(m).get("state").asText()).isEqualTo("ACTIVE");
        assertThat(steps(m)).containsSubsequence("RescueRequested operator", "DirectiveAcknowledged machine",
                "RescueBooted installer", "RescueReady installer", "RescueExited operator");
    }

    @Test
    @Order(2)
    void aDrainedMachineIsReprovisionedThroughItsAgentAndIsActiveAgainWithANewCertificate() throws Exception {
        String m = "/api/v1/machines/" + ids.get("worker-2");
        Path oldTls = labDir("worker-2").resolve("target/var/lib/ultracloud/tls");
        String oldSerial = serial(oldTls);
        assertThat(identityStatus(oldTls)).isEqualTo(200);
        gateway.post(m + "/drain", Map.of());
        gateway.post(m + "/complete-drain", Map.of());
        gateway.post(m + "/reprovision", Map.of());
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(gateway.eventTypes(ids.get("worker-2")).stream().filter("MachineActivated"::equals))
                        .as(lab.out()).hasSize(2));
        assertThat(detail(m).get("state").asText()).isEqualTo("ACTIVE");
        Path newTls = labDir("worker-2").resolve("kexec-1/target/var/lib/ultracloud/tls");
        assertThat(serial(newTls)).isNotEqualTo(oldSerial);
        assertThat(identityStatus(newTls)).isEqualTo(200);
        assertThat(identityStatus(oldTls)).as("the old certificate").isEqualTo(403);
        assertThat(steps(m)).containsSubsequence("DrainStarted operator", "DrainCompleted operator",
                "ReprovisionRequested operator", "DirectiveAcknowledged machine", "InstallRequested installer",
                "InstallSucceeded installer", "MachineActivated machine");
    }

    @Test
    @Order(3)
    void aRetiredMachinesCertificateIsRefused() throws Exception {
        String m = "/api/v1/machines/" + ids.get("storage-1");
        Path tls = labDir("storage-1").resolve("target/var/lib/ultracloud/tls");
        assertThat(identityStatus(tls)).isEqualTo(200);
        gateway.post(m + "/drain", Map.of());
        gateway.post(m + "/complete-drain", Map.of());
        gateway.post(m + "/retire", Map.of());
        assertThat(identityStatus(tls)).isEqualTo(403);
        assertThat(detail(m).get("state").asText()).isEqualTo("RETIRED");
        assertThat(steps(m)).containsSubsequence("DrainStarted operator", "DrainCompleted operator", "MachineRetired operator");
    }

    /**
     * The lab's directory of the machine the deployer named {@code host}: the enrollment rules give hostnames in
     * discovery order, not after the lab's labels; the installer's status file names the machine.
     */
    private static Path labDir(String host) throws Exception {
        try (java.util.stream.Stream<Path> dirs = Files.list(tmp.resolve("lab"))) {
            for (Path dir : dirs.toList()) {
                Path status = dir.resolve("status");
                if (Files.isRegularFile(status) && Files.readString(status).contains("machine: " + ids.get(host) + "\n")) {
                    return dir;
                }
            }
        }
        throw new IllegalStateException("no lab directory names machine " + ids.get(host) + " (" + host + ")");
    }

    private static JsonNode JSON_INTENT() throws Exception {
        return GatewayProcess.JSON.readTree(GatewayProcess.REPO.resolve("nix/examples/lab/expected-cluster-state.json").toFile());
    }

    private static JsonNode detail(String path) throws Exception {
        return gateway.get(path + "?consistent=true");
    }

    /**
     * "Type who" of each event: who is {@code operator} (the admin token's principal, the same for every operator
     * step), {@code machine} (the node's agent, machine:ID), {@code installer} or the principal itself.
     */
    private static List<String> steps(String machinePath) throws Exception {
        String operator = null;
        List<String> out = new ArrayList<>();
        for (JsonNode e : gateway.get(machinePath + "/events")) {
            String type = e.get("type").asText();
            String principal = e.at("/metadata/principal").asText();
            if (type.equals("RescueRequested") || type.equals("DrainStarted")) {
                operator = principal;
            }
            String who = principal.equals(operator) ? "operator" : principal.startsWith("machine:") ? "machine"
                    : principal.startsWith("installer") ? "installer" : principal;
            out.add(type + " " + who);
        }
        assertThat(operator).as("an operator step is recorded").isNotBlank().doesNotStartWith("installer")
                .doesNotStartWith("machine:");
        return out;
    }

    private static String serial(Path tls) throws Exception {
        try (InputStream in = Files.newInputStream(tls.resolve("node.crt"))) {
            return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in)).getSerialNumber().toString(16);
        }
    }

    private static int identityStatus(Path tls) throws Exception {
        return NodeTls.client(tls).send(HttpRequest.newBuilder(URI.create(gateway.httpsUrl() + "/api/v1/agent/identity")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static List<List<String>> agentCommands(String host) throws Exception {
        return LabCommandLog.agentCommands(tmp.resolve("commands.jsonl"), host);
    }
}
