package com.ultracloud.deployer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deployer-ctl} (its jar) against the gateway jar (issue 12): {@code events ID} exports a machine's history
 * with the admin token; {@code debug replay} of that file, without a server, reproduces after every event the
 * state the server answers for {@code state?at=N}; {@code state --at} and {@code machines list --at} read the past.
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
