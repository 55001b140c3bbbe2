package com.ultracloud.deployer.machine.domain.credentials;

import com.ultracloud.deployer.machine.api.MachineId;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Shared fixtures: a realistic node, a fixed clock near now, running external tools. */
final class TestNodes {

    /** Near the real now, so external tools (openssl verify) that use the wall clock agree with the fixed clock. */
    static final Clock CLOCK = Clock.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC);

    private TestNodes() {
    }

    /** A lab gateway: IPv4 in the installer's CIDR form, a global and a link-local IPv6, an IPv4-mapped one. */
    static NodeIdentity gateway01() {
        return new NodeIdentity(MachineId.ofFingerprint("smbios:4c4c4544-0051-3510-8057-b4c04f384e32"), "gw-01",
                "gw-01", "gw-01.lab.ultracloud.example", List.of("10.0.10.21/24", "2001:db8:10::21", "fe80::a236:9fff:fe12:3456"));
    }

    static NodeIdentity node(String hostname) {
        return new NodeIdentity(MachineId.ofFingerprint("mac:" + hostname), hostname, hostname,
                hostname + ".lab.ultracloud.example", List.of("10.0.10.50"));
    }

    record Result(int exitCode, String out) {
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    static void assumeTool(String tool) {
        assumeTrue(onPath(tool), tool + " is not installed on this machine: the cross-check with it is skipped");
    }

    static Result run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", command));
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** A file only its owner may read: ssh-keygen refuses anything else for private keys. */
    static Path writePrivate(Path dir, String name, String content) throws IOException {
        Path file = Files.createFile(dir.resolve(name), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    /** Every 24-character window of the base64 body of a PEM: a leak of any part of a key shows up. */
    static List<String> fragments(String pem) {
        String body = pem.lines().filter(l -> !l.startsWith("-----")).reduce("", String::concat);
        List<String> fragments = new ArrayList<>();
        for (int i = 0; i + 24 <= body.length(); i += 12) {
            fragments.add(body.substring(i, i + 24));
        }
        return fragments;
    }
}
