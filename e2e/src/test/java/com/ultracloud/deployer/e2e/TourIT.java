package com.ultracloud.deployer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's tour, {@code ./tour.sh --exit-when-done}, on free ports and a temporary data dir: it prints a console
 * URL and a token that work while it runs, brings the lab's six machines ACTIVE, rolls all of them out, reports the
 * rollout SUCCEEDED, stops its children and exits 0. Then the gateway is started again on the tour's data dir to see,
 * through the API and not the tour's own words, what the tour left: six ACTIVE machines running the new system, the
 * rollout SUCCEEDED, and the printed token an operator's.
 */
class TourIT {

    private static final List<String> HOSTS = List.of("cp-1", "cp-2", "cp-3", "storage-1", "worker-1", "worker-2");
    private static final String NEW_SYSTEM = "/nix/store/0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d-nixos-system-tour";
    private static final Pattern CONSOLE = Pattern.compile("(?m)^  Console:  (\\S+)$");
    private static final Pattern TOKEN = Pattern.compile("(?m)^  Token:    (ucd_\\S+)$");

    @TempDir
    Path tmp;

    private Process tour;
    private GatewayProcess gateway;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stopEverything() throws Exception {
        if (tour != null) {
            tour.descendants().forEach(ProcessHandle::destroy);
            tour.destroy();
            if (!tour.waitFor(60, TimeUnit.SECONDS)) {
                tour.descendants().forEach(ProcessHandle::destroyForcibly);
                tour.destroyForcibly();
            }
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void theTourBringsTheSixLabMachinesActiveRollsThemOutAndPrintsAWorkingUrlAndToken() throws Exception {
        int port = GatewayProcess.freePort();
        Path data = tmp.resolve("data-tour");
        Path out = tmp.resolve("tour.out");
        tour = new ProcessBuilder("bash", GatewayProcess.REPO.resolve("tour.sh").toString(), "--port", String.valueOf(port),
                "--https-port", String.valueOf(GatewayProcess.freePort()), "--data-dir", data.toString(),
                "--timeout", "600", "--exit-when-done")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();

        // while it runs: the printed URL answers, the printed token is accepted by the API, nothing is without one
        await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(tour.isAlive()).as(Files.readString(out)).isTrue();
            assertThat(Files.readString(out)).containsPattern(TOKEN);
        });
        String printed = Files.readString(out);
        String console = group(CONSOLE, printed);
        String token = group(TOKEN, printed);
        assertThat(console).isEqualTo("http://127.0.0.1:" + port + "/");
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(console)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).as("the console is served at the printed URL").isEqualTo(200);
        assertThat(page.body()).contains("/console/app.js");
        assertThat(get(console + "api/v1/machines", token).statusCode()).isEqualTo(200);
        assertThat(get(console + "api/v1/machines", null).statusCode()).isEqualTo(401);
        assertThat(get(console + "api/v1/machines", "ucd_" + "x".repeat(43)).statusCode()).isEqualTo(401);

        // until it ends: every process it started (the gateway, the lab, their helpers), to see none outlives it
        Set<ProcessHandle> children = new HashSet<>();
        Set<String> commands = new HashSet<>();
        await().atMost(Duration.ofSeconds(900)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            tour.descendants().forEach(h -> {
                children.add(h);
                h.info().arguments().ifPresent(args -> commands.add(String.join(" ", args)));
            });
            return !tour.isAlive();
        });
        String output = Files.readString(out);
        assertThat(tour.exitValue()).as(output).isZero();
        assertThat(output).contains("lab intent imported", "all 6 machines ACTIVE",
                "machines: cp-1 ACTIVE, cp-2 ACTIVE, cp-3 ACTIVE, storage-1 ACTIVE, worker-1 ACTIVE, worker-2 ACTIVE",
                "rollout tour-rollout SUCCEEDED: 6 of 6 rolled out", "lab stopped", "gateway stopped");
        // progress lines on the way: the machines went through the install before they were ACTIVE. The tour samples
        // once a second, so on a fast run a machine can pass INSTALL_PENDING between two samples (CI, stop 23).
        assertThat(output).containsPattern("machines: .*(INSTALL_PENDING|INSTALLING)").containsPattern("machines: .*INSTALLED");
        assertThat(output).containsPattern("6 agents, 6 confirmed their first boot \\(ACTIVE\\); last rollout results: 6 tour-rollout gen \\d+ healthy");
        assertThat(commands).as("it started the gateway and the lab")
                .anyMatch(c -> c.contains("ultracloud-deployer.jar")).anyMatch(c -> c.contains("ultracloud-installer.jar"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(children.stream().filter(ProcessHandle::isAlive)).as("no child left running").isEmpty());

        // what the tour left, seen through the API of the same data dir
        gateway = GatewayProcess.start(GatewayProcess.freePort(), data);
        for (String host : HOSTS) {
            JsonNode m = gateway.machineByHostname(host);
            assertThat(m).as(host).isNotNull();
            JsonNode detail = gateway.get("/api/v1/machines/" + m.get("machineId").asText() + "?consistent=true");
            assertThat(detail.get("state").asText()).as(host).isEqualTo("ACTIVE");
            assertThat(detail.path("rollout").path("runningSystem").asText()).as(host).isEqualTo(NEW_SYSTEM);
            assertThat(detail.path("rollout").path("status").asText()).as(host).isEqualTo("healthy");
        }
        assertThat(gateway.get("/api/v1/machines?size=50").get("total").asInt()).isEqualTo(HOSTS.size());
        JsonNode rollout = gateway.get("/api/v1/host-deployments/tour-rollout");
        assertThat(rollout.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(rollout.path("counts").path("rolledOut").asInt()).isEqualTo(6);
        assertThat(rollout.path("counts").path("failed").asInt()).isZero();
        assertThat(get(gateway.url() + "/api/v1/machines", token).statusCode()).as("the printed token").isEqualTo(200);
        assertThat(gateway.get("/api/v1/admin/tokens/tour").get("role").asText()).isEqualTo("operator");
        assertThat(Files.readString(data.resolve("tour-token")).strip()).isEqualTo(token);
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String group(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as(pattern + " in\n" + text).isTrue();
        return m.group(1);
    }
}
