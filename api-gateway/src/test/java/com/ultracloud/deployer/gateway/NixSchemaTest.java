package com.ultracloud.deployer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The Nix schema as CI sees it: the lab evaluates with plain {@code nix-instantiate} (no nixpkgs) to
 * the golden cluster state, and {@code nix/tests/run.sh} passes (every file parses, every broken
 * variant fails naming its path). Needs Debian's {@code nix-bin}: missing, the test fails and says so.
 */
class NixSchemaTest {

    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();

    record Run(int exit, String out, String err) {
    }

    static Run run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("nix-out", ".txt");
        Path err = Files.createTempFile("nix-err", ".txt");
        try {
            Process p = new ProcessBuilder(command).directory(REPO.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within 10 minutes");
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static void requireNix() throws IOException, InterruptedException {
        boolean found;
        try {
            found = run(List.of("nix-instantiate", "--version")).exit() == 0;
        } catch (IOException e) {
            found = false;
        }
        if (!found) {
            fail("nix-instantiate is not installed: install Debian's nix-bin (apt-get install -y nix-bin); "
                    + "CI installs it in .ci/run so this test always runs");
        }
    }

    static List<String> nixInstantiate(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("nix-instantiate"));
        if (!"root".equals(System.getProperty("user.name"))) {
            cmd.addAll(List.of("--store", "dummy://")); // a non-root user has no writable store
        }
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void theLabEvaluatesToTheGoldenClusterState() throws Exception {
        requireNix();
        Run r = run(nixInstantiate("--eval", "--strict", "--json", "-A", "clusterState", "nix/examples/lab"));
        assertThat(r.exit()).as("nix-instantiate failed: %s", r.err()).isZero();
        JsonNode evaluated = JSON.readTree(r.out());
        JsonNode golden = JSON.readTree(REPO.resolve("nix/examples/lab/expected-cluster-state.json").toFile());
        assertThat(evaluated).as("the lab's clusterState differs from nix/examples/lab/expected-cluster-state.json "
                + "(regenerate with UPDATE_GOLDEN=1 bash nix/tests/run.sh if the change is intended)").isEqualTo(golden);
        assertThat(evaluated.get("nodes")).hasSize(3);
        assertThat(evaluated.get("enrollmentRules")).hasSize(3);
    }

    @Test
    void theNixTestSuitePasses() throws Exception {
        requireNix();
        Run r = run(List.of("bash", "nix/tests/run.sh"));
        assertThat(r.exit()).as("nix/tests/run.sh failed:%n%s%n%s", r.out(), r.err()).isZero();
        assertThat(r.out()).containsPattern("\\d+ passed, 0 failed");
    }
}
