package com.ultracloud.deployer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.ultracloud.deployer.e2e.GatewayProcess.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's walk-through, run as written: the {@code ```sh} blocks between {@code <!-- walkthrough:start -->} and
 * {@code <!-- walkthrough:end -->}, in order, in one bash, against the gateway jar started as the README's first
 * command starts it (its defaults, data in {@code ./data}) on a fresh start, and the answers its comments promise.
 *
 * <p>The working directory is a temporary working copy of the repository (every top-level entry symlinked, no
 * {@code data}), so {@code data/admin-token} and the repository's relative paths resolve as in the README while a
 * developer's own {@code ./data} is neither used nor touched. The one substitution: the ports, which must be free
 * here, so the README's line {@code D=http://127.0.0.1:8080} becomes the test gateway's URL (the test fails when that
 * line is not there exactly once). Each command bash runs is marked in the output by a DEBUG trap, so every answer
 * is checked against the command that gave it.
 */
class ReadmeWalkthroughIT {

    private static final String README_URL_LINE = "D=http://127.0.0.1:8080";
    /** Placeholder SMBIOS UUID: the identity is the name-based UUID of the lowest permanent MAC, d0:50:99:f1:00:0a. */
    private static final String MACHINE = "bdedc17e-e377-3eac-833d-5b3e76ee1871";
    private static final char COMMAND_START = '\u001e';
    private static final char COMMAND_END = '\u001f';

    @TempDir
    static Path tmp;

    static Path workingCopy;
    static GatewayProcess gateway;

    @BeforeAll
    static void startTheGatewayAsTheReadmeDoes() throws Exception {
        workingCopy = Files.createDirectories(tmp.resolve("repo"));
        try (Stream<Path> entries = Files.list(GatewayProcess.REPO)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!Set.of(".git", "data", "data-tour").contains(name)) {
                    Files.createSymbolicLink(workingCopy.resolve(name), entry);
                }
            }
        }
        gateway = GatewayProcess.startAsReadme(workingCopy, GatewayProcess.freePort(), GatewayProcess.freePort());
    }

    @AfterAll
    static void stopGateway() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void theWalkThroughsCommandsGiveTheDocumentedAnswersInTheOrderWritten() throws Exception {
        String readme = Files.readString(GatewayProcess.REPO.resolve("README.md"));
        String section = between(readme, "<!-- walkthrough:start -->", "<!-- walkthrough:end -->");
        List<String> blocks = shellBlocks(section);
        assertThat(blocks).as("the walk-through's ```sh blocks").hasSizeGreaterThanOrEqualTo(5);
        String script = String.join("\n", blocks);
        assertThat(script.split(Pattern.quote(README_URL_LINE), -1)).as("the README's D= line, once").hasSize(2);
        // the comments that promise the answers checked below
        assertThat(section).contains("curl -s $D/api/v1/machines                          # → 401 problem+json: no token",
                "/inspect                 # → INSPECTED", "# → COMMISSIONED",
                "/drain                   # → 409 problem+json: allowed only from ACTIVE",
                "# every event, with principal token:initial-admin", "# the machine as of its first event: DISCOVERED",
                "edge-1, \"total\":1", "# {\"name\":\"me\",…,\"token\":\"ucd_…\"}", "# {\"generation\":1,…,\"changed\":true,…}",
                "# six answers, each \"state\":\"DISCOVERED\"");

        List<Step> steps = run(script.replace(README_URL_LINE, "D=" + gateway.url()));

        assertThat(output(steps, "curl -s $D/api/v1/machines")).as("no token")
                .contains("\"status\":401", "urn:ultracloud:problem:unauthorized");
        // the discover answer is exactly the one the README shows under it
        String discovered = output(steps, "echo \"$R\"").strip();
        assertThat("# " + discovered).as("the README's discover answer").isEqualTo(commentAfter(blocks.get(0), "echo \"$R\""));
        assertThat(JSON.readTree(discovered).get("machineId").asText()).isEqualTo(MACHINE);

        JsonNode inspected = json(steps, "/inspect");
        assertThat(inspected.get("machineId").asText()).as("$M is the discovered machine").isEqualTo(MACHINE);
        assertThat(inspected.get("state").asText()).isEqualTo("INSPECTED");
        JsonNode commissioned = json(steps, "/commission");
        assertThat(commissioned.get("state").asText()).isEqualTo("COMMISSIONED");
        assertThat(commissioned.get("hostname").asText()).isEqualTo("edge-1");
        assertThat(commissioned.get("pool").asText()).isEqualTo("general");
        assertThat(commissioned.get("version").asInt()).as("the minVersion the README reads the inventory at").isEqualTo(3);
        JsonNode drain = json(steps, "/drain");
        assertThat(drain.get("status").asInt()).isEqualTo(409);
        assertThat(drain.get("currentState").asText()).isEqualTo("COMMISSIONED");
        assertThat(drain.get("allowedFrom").toString()).isEqualTo("[\"ACTIVE\"]");

        List<String> types = new ArrayList<>();
        List<String> principals = new ArrayList<>();
        for (JsonNode e : json(steps, "/events")) {
            types.add(e.get("type").asText());
            principals.add(e.path("metadata").path("principal").asText());
        }
        assertThat(types).containsExactly("MachineDiscovered", "MachineInspected", "MachineCommissioned", "NodeAssigned");
        assertThat(principals.subList(1, principals.size())).containsOnly("token:initial-admin");
        assertThat(json(steps, "state?at=0").get("state").asText()).isEqualTo("DISCOVERED");
        JsonNode page = json(steps, "minVersion=3");
        assertThat(page.get("total").asInt()).isEqualTo(1);
        assertThat(page.get("items").get(0).get("hostname").asText()).isEqualTo("edge-1");

        JsonNode token = json(steps, "/admin/tokens");
        assertThat(token.get("name").asText()).isEqualTo("me");
        assertThat(token.get("role").asText()).isEqualTo("operator");
        assertThat(token.get("token").asText()).startsWith("ucd_");
        JsonNode intent = json(steps, "/cluster/intent");
        assertThat(intent.get("generation").asInt()).isEqualTo(1);
        assertThat(intent.get("changed").asBoolean()).isTrue();

        List<Step> labDiscovers = steps.stream().filter(s -> s.command().contains("-d @$f")).toList();
        assertThat(labDiscovers).as("one discover per lab fixture").hasSize(6);
        Set<String> labIds = new HashSet<>();
        for (Step d : labDiscovers) {
            JsonNode answer = JSON.readTree(d.output());
            assertThat(answer.get("state").asText()).as(d.output()).isEqualTo("DISCOVERED");
            labIds.add(answer.get("machineId").asText());
        }
        assertThat(labIds).hasSize(6).doesNotContain(MACHINE);

        // the fleet as the README lists it, line for line
        String lastBlock = blocks.get(blocks.size() - 1);
        List<String> documented = lastBlock.lines().filter(l -> l.startsWith("# ")).map(l -> l.substring(2)).toList();
        assertThat(documented).as("the README's listing").hasSize(7).contains("edge-1 COMMISSIONED general",
                "storage-1 COMMISSIONED storage", "worker-1 INSTALL_PENDING general", "worker-2 INSTALL_PENDING general");
        assertThat(output(steps, "python3 -c").strip().lines().toList()).isEqualTo(documented);

        // the token the walk-through created works, with its role
        assertThat(statusWith(token.get("token").asText(), "/api/v1/machines")).isEqualTo(200);
        assertThat(statusWith(token.get("token").asText(), "/api/v1/admin/tokens")).as("operator, not admin").isEqualTo(403);
    }

    /** One command bash ran (as its DEBUG trap saw it) and what was printed until the next. */
    record Step(String command, String output) {
    }

    private List<Step> run(String script) throws Exception {
        Path file = tmp.resolve("walkthrough.sh");
        Files.writeString(file, "trap 'printf \"\\n" + COMMAND_START + "%s" + COMMAND_END + "\\n\" \"$BASH_COMMAND\"' DEBUG\n"
                + script + "\n");
        Path out = tmp.resolve("walkthrough.out");
        Process bash = new ProcessBuilder("bash", file.toString()).directory(workingCopy.toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            assertThat(bash.waitFor(240, TimeUnit.SECONDS)).as("the walk-through ends within 240 s").isTrue();
        } finally {
            bash.descendants().forEach(ProcessHandle::destroy);
            bash.destroyForcibly();
        }
        String transcript = Files.readString(out);
        assertThat(bash.exitValue()).as(transcript).isZero();
        List<Step> steps = new ArrayList<>();
        for (String part : transcript.split(String.valueOf(COMMAND_START))) {
            int end = part.indexOf(COMMAND_END);
            if (end >= 0) {
                steps.add(new Step(part.substring(0, end), part.substring(end + 1).strip()));
            }
        }
        assertThat(steps).as(transcript).isNotEmpty();
        return steps;
    }

    /** What the commands containing {@code fragment} (exactly it, if one is) printed, together. */
    private static String output(List<Step> steps, String fragment) {
        List<Step> exact = steps.stream().filter(s -> s.command().strip().equals(fragment)).toList();
        List<Step> matching = exact.isEmpty() ? steps.stream().filter(s -> s.command().contains(fragment)).toList() : exact;
        assertThat(matching).as("a command with " + fragment + " ran").isNotEmpty();
        return String.join("\n", matching.stream().map(Step::output).toList());
    }

    private static JsonNode json(List<Step> steps, String fragment) throws Exception {
        return JSON.readTree(output(steps, fragment));
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        int to = text.indexOf(end);
        assertThat(from).as(start).isNotNegative();
        assertThat(to).as(end).isGreaterThan(from);
        return text.substring(from + start.length(), to);
    }

    private static List<String> shellBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("(?s)```sh\n(.*?)```").matcher(markdown);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    /** The comment line right after the line containing {@code command} in {@code block}. */
    private static String commentAfter(String block, String command) {
        List<String> lines = block.lines().toList();
        for (int i = 0; i < lines.size() - 1; i++) {
            if (lines.get(i).contains(command)) {
                return lines.get(i + 1).strip();
            }
        }
        throw new AssertionError("no line with " + command + " in\n" + block);
    }

    private static int statusWith(String token, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway.url() + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
