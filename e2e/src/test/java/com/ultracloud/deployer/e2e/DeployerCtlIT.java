package com.ultracloud.deployer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
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
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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
    @Order(1)
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
        assertThat(unauthorised.exit()).as("the deployer refused it").isEqualTo(3);
        assertThat(unauthorised.err()).contains("answered 401");
    }

    @Test
    @Order(1)
    void followPrintsLiveEventsAndResumesAfterADroppedConnectionWithoutALossOrARepeat() throws Exception {
        try (DroppingProxy proxy = new DroppingProxy(URI.create(gateway.url()).getPort())) {
            Path out = tmp.resolve("follow.out");
            Path err = tmp.resolve("follow.err");
            // from the store's head now: what happens after it is printed, however long the client takes to connect
            long head = gateway.get("/api/v1/admin/projections").get(0).get("headPosition").asLong();
            Process follow = new ProcessBuilder(GatewayProcess.javaBin(), "-jar", CTL_JAR.toString(), "events", "--follow",
                    "--from", String.valueOf(head),
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

    @Test
    @Order(2)
    void dailyWorkListShowAnActionARefusedActionAndTokens() throws Exception {
        String id = discover(9_201);
        Result table = ctl("machines", "list", "--state", "DISCOVERED");
        assertThat(table.exit()).as(table.err()).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines.get(0)).matches("MACHINE +STATE +HOSTNAME +CLASS +POOL +LAST SEEN");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(id).contains("DISCOVERED"));
        // the columns line up: every row's state starts where the header's STATE does
        int stateColumn = lines.get(0).indexOf("STATE");
        assertThat(lines.stream().filter(l -> l.startsWith(id))).allSatisfy(l -> assertThat(l.indexOf("DISCOVERED")).isEqualTo(stateColumn));
        Result json = ctl("machines", "list", "-o", "json");
        assertThat(json.exit()).isZero();
        assertThat(GatewayProcess.JSON.readTree(json.out()).get("items").findValuesAsText("machineId")).contains(id, machine);

        Result inspect = ctl("machines", "inspect", id);
        assertThat(inspect.exit()).as(inspect.err()).isZero();
        assertThat(inspect.out()).contains("inspect: machine " + id + " is INSPECTED");
        Result show = ctl("machines", "show", id);
        assertThat(show.exit()).isZero();
        assertThat(show.out()).containsPattern("state +INSPECTED").contains("MachineInspected (version 1)");
        assertThat(GatewayProcess.JSON.readTree(ctl("machines", "show", id, "-o", "json").out()).get("state").asText()).isEqualTo("INSPECTED");

        Result explain = ctl("machines", "explain", id);
        assertThat(explain.exit()).as(explain.err()).isZero();
        assertThat(explain.out()).contains("enrollment (intent generation").contains("  - rule ")
                .contains("root disk: chosen when the install plan is issued");

        Result refused = ctl("machines", "recover", id);
        assertThat(refused.exit()).as("the deployer refused it").isEqualTo(3);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err().strip().lines()).as("one clear line").hasSize(1);
        assertThat(refused.err()).contains("409").contains("recover is allowed only from FAILED");
        Result notAsked = ctl("machines", "retire", id);
        assertThat(notAsked.exit()).as("retire without a terminal or --yes").isEqualTo(2);
        assertThat(gateway.get("/api/v1/machines/" + id).get("state").asText()).isEqualTo("INSPECTED");

        Result created = ctl("tokens", "create", "ctl-viewer", "--role", "viewer", "--expires-in", "1d");
        assertThat(created.exit()).as(created.err()).isZero();
        Path viewerToken = tmp.resolve("viewer-token");
        Files.writeString(viewerToken, created.out());
        Result asViewer = run(List.of("machines", "list", "--server", gateway.url(), "--token-file", viewerToken.toString()));
        assertThat(asViewer.exit()).as(asViewer.err()).isZero();
        Result viewerActs = run(List.of("machines", "inspect", id, "--server", gateway.url(), "--token-file", viewerToken.toString()));
        assertThat(viewerActs.exit()).isEqualTo(3);
        assertThat(viewerActs.err()).contains("403");
        assertThat(ctl("tokens", "list").out()).containsPattern("ctl-viewer +viewer +active");
        assertThat(ctl("tokens", "revoke", "ctl-viewer").exit()).isZero();
        // a config file instead of options
        Path config = tmp.resolve("ctl.conf");
        Files.writeString(config, "server=" + gateway.url() + "\ntoken-file=" + gateway.adminTokenFile() + "\n");
        Result configured = run(List.of("rollouts", "list", "--config", config.toString()));
        assertThat(configured.exit()).as(configured.err()).isZero();
        assertThat(configured.out()).contains("DEPLOYMENT").contains("host deployments");
    }

    @Test
    @Order(3)
    void installWatchShowsTheProgressUntilTheMachineIsInstalled() throws Exception {
        // the real installer (simulated executor) waits for the operator; the test acts through deployer-ctl
        Path factsFile = tmp.resolve("watched.json");
        Files.writeString(factsFile, GatewayProcess.JSON.writeValueAsString(clone("worker-1.json", 9_301)));
        InstallerProcess installer = InstallerProcess.start(tmp.resolve("watch-installer"), "run", "--deployer", gateway.url(),
                "--facts", factsFile.toString(), "--join-secret-file", gateway.joinSecretFile().toString(), "--simulate",
                "--root", Files.createDirectories(tmp.resolve("watch-root")).toString(), "--target", tmp.resolve("watch-target").toString());
        String[] id = new String[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode page = gateway.get("/api/v1/machines?q=SN9301");
            if (page != null && page.get("items").size() == 1) {
                id[0] = page.get("items").get(0).get("machineId").asText();
            }
            return id[0] != null;
        });
        Path out = tmp.resolve("watch.out");
        Path err = tmp.resolve("watch.err");
        Process watch = new ProcessBuilder(GatewayProcess.javaBin(), "-jar", CTL_JAR.toString(), "install", "watch", id[0],
                "--server", gateway.url(), "--token-file", gateway.adminTokenFile().toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(out).contains("DISCOVERED"));
            assertThat(ctl("machines", "inspect", id[0]).exit()).isZero();
            Result commission = ctl("machines", "commission", id[0], "--node-class", "worker", "--pool", "general",
                    "--hostname", "watched-1", "--label", "rack=w");
            assertThat(commission.exit()).as(commission.err()).isZero();
            Result install = ctl("machines", "install", id[0], "--attempt-limit", "2");
            assertThat(install.exit()).as(install.err()).isZero();
            assertThat(install.out()).contains("is INSTALL_PENDING");
            assertThat(watch.waitFor(120, TimeUnit.SECONDS)).as("watch ends with the install").isTrue();
            String shown = Files.readString(out);
            assertThat(watch.exitValue()).as(shown + Files.readString(err)).isZero();
            assertThat(shown).contains("INSTALLING").contains("[##############################] 100% INSTALLED")
                    .contains("installed: machine " + id[0] + " is INSTALLED");
            InstallerProcess.Result installed = installer.await(120);
            assertThat(installed.exitCode()).as(installed.out() + installed.err()).isZero();
            Result explain = ctl("machines", "explain", id[0]);
            assertThat(explain.exit()).as(explain.err()).isZero();
            assertThat(explain.out()).contains("is INSTALLED").containsPattern("root disk: /dev/\\S+ \\(");
        } finally {
            watch.destroyForcibly();
            if (installer.isAlive()) {
                installer.stop();
            }
        }
    }

    @Test
    @Order(4)
    void intentApplyExportsWithNixShowsThePreviewAndImports() throws Exception {
        long before = gateway.get("/api/v1/cluster/intent").get("generation").asLong();
        Result apply = ctl("intent", "apply", "--nix", GatewayProcess.REPO.resolve("nix/examples/lab").toString(), "--yes");
        assertThat(apply.exit()).as(apply.out() + apply.err()).isZero();
        assertThat(apply.out()).contains("generation " + before + " -> new").contains("machines would change")
                .contains("imported: generation " + (before + 1));
        Result again = ctl("intent", "apply", "--nix", GatewayProcess.REPO.resolve("nix/examples/lab").toString());
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("unchanged: generation " + (before + 1));
        Result show = ctl("intent", "show");
        assertThat(show.out()).containsPattern("generation +" + (before + 1)).containsPattern("cluster +lab");
    }

    /** A new machine (the lab's worker-2 with another identity) discovers; its id. */
    private static String discover(int n) throws Exception {
        return gateway.post("/api/v1/bootstrap/discover", clone("worker-2.json", n)).get("machineId").asText();
    }

    /** A lab hardware fixture with another identity (SMBIOS UUID, serials SN{n} and BS{n}, MACs). */
    private static ObjectNode clone(String fixture, int n) throws Exception {
        ObjectNode facts = (ObjectNode) GatewayProcess.JSON.readTree(
                GatewayProcess.REPO.resolve("nix/examples/lab/hardware/" + fixture).toFile());
        ((ObjectNode) facts.get("identity")).put("smbiosUuid", String.format("4c4c4544-0000-1000-8000-%012x", n))
                .put("systemSerial", "SN" + n).put("boardSerial", "BS" + n);
        for (int i = 0; i < facts.get("nics").size(); i++) {
            String mac = String.format("02:%02x:00:00:%02x:%02x", i, (n >> 8) & 0xff, n & 0xff);
            ((ObjectNode) facts.get("nics").get(i)).put("mac", mac).put("permanentMac", mac);
        }
        return facts;
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
