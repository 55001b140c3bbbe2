package com.ultracloud.deployer.installer.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    public static final String BOOTED_SYSTEM = "/run/booted-system";
    /** What a system needs a reboot to change: the links NixOS' {@code system.autoUpgrade.allowReboot} compares. */
    static final List<String> BOOT_FILES = List.of("kernel", "initrd", "kernel-modules");
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

    /**
     * The boot files ({@link #BOOT_FILES}) whose link in {@code system} differs from the booted system's — what
     * {@code switch-to-configuration test} cannot change, so such a system needs a reboot. Empty when they agree,
     * and when either side cannot be read (nothing known to need a reboot).
     */
    public List<String> bootFilesChangedBy(String system) {
        Optional<String> booted = storePathOf(BOOTED_SYSTEM);
        if (booted.isEmpty() || !system.startsWith(STORE)) {
            return List.of();
        }
        List<String> changed = new ArrayList<>();
        for (String file : BOOT_FILES) {
            Optional<String> before = linkTarget(inRoot(booted.get()).resolve(file));
            Optional<String> after = linkTarget(inRoot(system).resolve(file));
            if (before.isEmpty() || after.isEmpty()) {
                return List.of();
            }
            if (!before.equals(after)) {
                changed.add(file);
            }
        }
        return changed;
    }

    private static Optional<String> linkTarget(Path link) {
        try {
            return Files.isSymbolicLink(link) ? Optional.of(Files.readSymbolicLink(link).toString()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
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
