package com.ultracloud.deployer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code deployer-ctl} (its jar) against the gateway jar (issue 12): {@code events ID} exports a machine's history
 * with the admin token; {@code debug replay} of that file, without a server, reproduces after every event the
 * state the server answers for {@code state?at=N}; {@code state --at} and {@code machines list --at} read the past; {@code events --follow} prints
 * the live stream and resumes after a dropped connection.
 */
class DeployerCtlIT {

    static final Path CTL_JAR = Path.of(System.getProperty("ctl.jar", "../deployer-ctl/target/deployer-ctl.jar"));

    @TempDir
    static Path tmp;
    static GatewayProcess gateway;
    static String machine;

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayProcess.start(GatewayProcess.freePort(), tmp.resolve("gateway"),
                "--deployer.enrollment.automation=false");
        gateway.importLabIntentWithoutHostDeployments();
        JsonNode facts = GatewayProcess.JSON.readTree(GatewayProcess.REPO.resolve("nix/examples/lab/hardware/worker-2.json").toFile());
        machine = gateway.post("/api/v1/bootstrap/discover", facts).get("machineId").asText();
        String m = "/api/v1/machines/" + machine;
        gateway.post(m + "/inspect", Map.of());
        gateway.post(m + "/commission", Map.of("nodeClass", "worker", "pool", "general", "hostname", "ctl-1"));
        gateway.post(m + "/mark-failed", Map.of("reason", "fan 3 stopped"));
        gateway.post(m + "/recover", Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void anExportedHistoryReplaysOfflineToTheStatesTheServerAnswers() throws Exception {
        Result export = ctl("events", machine);
        assertThat(export.exit()).as(export.err()).isZero();
        Path file = tmp.resolve("machine.jsonl");
        Files.writeString(file, export.out());
        List<String> lines = export.out().lines().toList();
        assertThat(lines).hasSize(6);

        Result replay = ctl("debug", "replay", file.toString());
        assertThat(replay.exit()).as(replay.out() + replay.err()).isZero();
        List<String> replayed = new ArrayList<>();
        for (String line : replay.out().lines().filter(l -> l.startsWith("#")).toList()) {
            String[] words = line.trim().split("\\s+");
            replayed.add(words[words.length - 1]); // the state after the event
        }
        List<String> served = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            served.add(gateway.get("/api/v1/machines/" + machine + "/state?at=" + n).get("state").asText());
        }
        assertThat(replayed).isEqualTo(served)
                .containsExactly("DISCOVERED", "INSPECTED", "COMMISSIONED", "COMMISSIONED", "FAILED", "COMMISSIONED");
        assertThat(replay.out()).contains("6 events, 0 refused by the current lifecycle table");

        Result state = ctl("state", machine, "--at", "0");
        assertThat(state.exit()).as(state.err()).isZero();
        assertThat(GatewayProcess.JSON.readTree(state.out()).get("state").asText()).isEqualTo("DISCOVERED");
        Result list = ctl("machines", "list", "--at", "2");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains(machine).contains("DISCOVERED").contains("1 machines as of 2");
        Result unauthorised = run(List.of("events", machine, "--deployer", gateway.url()));
        assertThat(unauthorised.exit()).isEqualTo(2);
        assertThat(unauthorised.err()).contains("answered 401");
    }

    @Test
    void followPrintsLiveEventsAndResumesAfterADroppedConnectionWithoutALossOrARepeat() throws Exception {
        try (DroppingProxy proxy = new DroppingProxy(URI.create(gateway.url()).getPort())) {
            Path out = tmp.resolve("follow.out");
            Path err = tmp.resolve("follow.err");
            Process follow = new ProcessBuilder(GatewayProcess.javaBin(), "-jar", CTL_JAR.toString(), "events", "--follow",
                    "--type", "MachineDiscovered", "--count", "3", "--deployer", "http://127.0.0.1:" + proxy.port(),
                    "--token-file", gateway.adminTokenFile().toString())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> proxy.accepted() == 1);
                String first = discover(9_101);
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(out).contains(first));

                proxy.dropAll(); // the network fails mid-stream; an event happens before the client is back
                String second = discover(9_102);
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(out).contains(second));
                assertThat(proxy.accepted()).as("it connected again").isGreaterThan(1);
                assertThat(Files.readString(err)).contains("connection lost").contains("resuming after id");

                String third = discover(9_103);
                assertThat(follow.waitFor(30, TimeUnit.SECONDS)).as("--count 3 ends it").isTrue();
                assertThat(follow.exitValue()).as(Files.readString(err)).isZero();
                List<String> machines = new ArrayList<>();
                for (String line : Files.readAllLines(out)) {
                    JsonNode event = GatewayProcess.JSON.readTree(line);
                    assertThat(event.get("type").asText()).isEqualTo("MachineDiscovered");
                    machines.add(event.get("aggregateId").asText());
                }
                assertThat(machines).as("each event once, in order").containsExactly(first, second, third);
            } finally {
                follow.destroyForcibly();
            }
        }
    }

    /** A new machine (the lab's worker-2 with another identity) discovers; its id. */
    private static String discover(int n) throws Exception {
        ObjectNode facts = (ObjectNode) GatewayProcess.JSON.readTree(
                GatewayProcess.REPO.resolve("nix/examples/lab/hardware/worker-2.json").toFile());
        ((ObjectNode) facts.get("identity")).put("smbiosUuid", String.format("4c4c4544-0000-1000-8000-%012x", n))
                .put("systemSerial", "SN" + n).put("boardSerial", "BS" + n);
        for (int i = 0; i < facts.get("nics").size(); i++) {
            String mac = String.format("02:%02x:00:00:%02x:%02x", i, (n >> 8) & 0xff, n & 0xff);
            ((ObjectNode) facts.get("nics").get(i)).put("mac", mac).put("permanentMac", mac);
        }
        return gateway.post("/api/v1/bootstrap/discover", facts).get("machineId").asText();
    }

    record Result(int exit, String out, String err) {
    }

    private static Result ctl(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--deployer", gateway.url(), "--token-file", gateway.adminTokenFile().toString()));
        if (args[0].equals("debug")) {
            all = List.of(args);
        }
        return run(all);
    }

    private static Result run(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(GatewayProcess.javaBin(), "-jar", CTL_JAR.toString()));
        cmd.addAll(args);
        Path out = Files.createTempFile(tmp, "ctl-", ".out");
        Path err = Files.createTempFile(tmp, "ctl-", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("deployer-ctl did not finish: " + cmd);
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
