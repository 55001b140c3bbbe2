package com.ultracloud.deployer.installer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.installer.facts.RecordedTree;
import com.ultracloud.deployer.protocol.MachineInventory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The shaded jar ({@code target/ultracloud-installer.jar}) runs on its own: Main-Class, manifest version. */
class InstallerJarIT {

    private static final Path JAR = Path.of(System.getProperty("installer.jar", "target/ultracloud-installer.jar"));

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
    }

    private static Result java(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), out, err);
    }

    @Test
    void theJarPrintsFactsOfARecordedTreeWithTheManifestVersion() throws Exception {
        Path tree = RecordedTree.build("placeholder-uuid-box", dir);

        Result result = java("facts", "--root", tree.toString());

        assertThat(result.exit()).as(result.err()).isZero();
        MachineInventory facts = new ObjectMapper().readValue(result.out(), MachineInventory.class);
        assertThat(facts.identity().smbiosUuid()).isEqualTo("03000200-0400-0500-0006-000700080009");
        assertThat(facts.installer().version()).isEqualTo(System.getProperty("installer.version"));
    }

    @Test
    void theJarPrintsFactsOfThisMachine() throws Exception {
        Result result = java("facts", "--compact");

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(new ObjectMapper().readValue(result.out(), MachineInventory.class).disks()).isNotEmpty();
    }

    @Test
    void aBadRootEndsTheProcessWithExitCode2AndOneLine() throws Exception {
        Result result = java("facts", "--root", dir.resolve("missing").toString());

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().strip()).isEqualTo("bad-root: --root " + dir.resolve("missing") + " is not a directory");
    }
}
