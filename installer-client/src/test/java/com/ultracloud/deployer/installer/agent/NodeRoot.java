package com.ultracloud.deployer.installer.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A node's filesystem root as the agent reads it: {@code nix/var/nix/profiles/system → system-1-link →
 * /nix/store/…} and {@code run/current-system → /nix/store/…}, the store paths absolute (dangling here), as on NixOS.
 */
final class NodeRoot {

    static final String OLD = "/nix/store/a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1-nixos-system-cp-1-25.05.1";
    static final String NEW = "/nix/store/b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2-nixos-system-cp-1-25.05.2";

    final Path root;

    NodeRoot(Path root, String running) throws IOException {
        this.root = root;
        Path profiles = Files.createDirectories(root.resolve("nix/var/nix/profiles"));
        Files.createSymbolicLink(profiles.resolve("system-1-link"), Path.of(running));
        Files.createSymbolicLink(profiles.resolve("system"), Path.of("system-1-link"));
        Files.createDirectories(root.resolve("run"));
        bootInto(running);
    }

    /** What a reboot into {@code system} leaves behind: /run/current-system points at it. */
    void bootInto(String system) throws IOException {
        Path current = root.resolve("run/current-system");
        Files.deleteIfExists(current);
        Files.createSymbolicLink(current, Path.of(system));
    }
}
