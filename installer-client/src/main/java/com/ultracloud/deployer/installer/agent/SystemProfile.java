package com.ultracloud.deployer.installer.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The NixOS system profile and the running system, read as links under a filesystem root ({@code /} on a node,
 * a prepared directory in tests and the lab): {@value #PROFILE} → {@code system-42-link} →
 * {@code /nix/store/…-nixos-system-…}, and {@value #CURRENT_SYSTEM} → {@code /nix/store/…}. Links are followed
 * by hand, inside the root, until they name a store path, which need not exist under the root.
 */
public final class SystemProfile {

    public static final String PROFILE = "/nix/var/nix/profiles/system";
    public static final String CURRENT_SYSTEM = "/run/current-system";
    private static final String STORE = "/nix/store/";

    private final Path root;

    public SystemProfile(Path root) {
        this.root = root;
    }

    /** The store path the system profile points at now: the generation the boot loader defaults to. */
    public Optional<String> profileSystem() {
        return storePathOf(PROFILE);
    }

    /** The store path of the system that runs now. */
    public Optional<String> runningSystem() {
        return storePathOf(CURRENT_SYSTEM);
    }

    private Optional<String> storePathOf(String absolute) {
        Path at = inRoot(absolute);
        try {
            for (int hops = 0; hops < 16 && Files.isSymbolicLink(at); hops++) {
                Path target = Files.readSymbolicLink(at);
                String t = target.toString();
                if (t.startsWith(STORE)) {
                    return Optional.of(storePath(t));
                }
                at = target.isAbsolute() ? inRoot(t) : at.getParent().resolve(target);
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        // a root whose store is real (the node itself): the path is a store path already
        String plain = root.relativize(at.normalize()).toString();
        return ("/" + plain).startsWith(STORE) ? Optional.of(storePath("/" + plain)) : Optional.empty();
    }

    private Path inRoot(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    /** {@code /nix/store/<name>} of a path inside the store. */
    private static String storePath(String path) {
        int end = path.indexOf('/', STORE.length());
        return end < 0 ? path : path.substring(0, end);
    }
}
