package com.ultracloud.deployer.e2e;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code nix-instantiate --eval --strict --json -E EXPR} (Debian's nix-bin, no nixpkgs) as a process, from the
 * repository root. Missing nix-instantiate fails the test and says so: CI installs it.
 */
final class NixEval {

    private NixEval() {
    }

    static JsonNode json(String expression) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("nix-instantiate"));
        if (!"root".equals(System.getProperty("user.name"))) {
            cmd.addAll(List.of("--store", "dummy://")); // a non-root user has no writable store
        }
        cmd.addAll(List.of("--eval", "--strict", "--json", "-E", expression));
        Path out = Files.createTempFile("nix-eval", ".json");
        Path err = Files.createTempFile("nix-eval", ".err");
        try {
            Process p;
            try {
                p = new ProcessBuilder(cmd).directory(GatewayProcess.REPO.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            } catch (java.io.IOException e) {
                throw new AssertionError("nix-instantiate is not installed (apt-get install -y nix-bin): " + e.getMessage(), e);
            }
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("nix-instantiate did not finish within 2 minutes: " + expression);
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("nix-instantiate failed on " + expression + ":\n" + Files.readString(err));
            }
            return GatewayProcess.JSON.readTree(out.toFile());
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
