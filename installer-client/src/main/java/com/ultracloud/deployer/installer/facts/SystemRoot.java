package com.ultracloud.deployer.installer.facts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The file system the facts are read from: the live machine ({@code /}) or a recorded tree
 * ({@code DIR/sys/...}, {@code DIR/proc/...}, {@code DIR/dev/disk/...}, {@code DIR/run/udev/data},
 * {@code DIR/etc/resolv.conf}). Symlinks in a recorded tree are relative, so they resolve inside it.
 * <p>
 * Every read answers null (or an empty list) when the file is absent, unreadable (e.g. DMI serials for
 * non-root users) or refuses the read (sysfs {@code speed} of a link that is down answers EINVAL).
 */
public final class SystemRoot {

    private final Path root;
    private final boolean live;

    private SystemRoot(Path root, boolean live) {
        this.root = root;
        this.live = live;
    }

    /** The machine this runs on. */
    public static SystemRoot live() {
        return new SystemRoot(Path.of("/"), true);
    }

    /**
     * A recorded tree.
     *
     * @throws IllegalArgumentException when {@code dir} is not a directory holding {@code sys/} or {@code proc/}
     */
    public static SystemRoot recorded(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a directory");
        }
        if (!Files.isDirectory(dir.resolve("sys")) && !Files.isDirectory(dir.resolve("proc"))) {
            throw new IllegalArgumentException(dir + " is not a recorded system tree (it has neither sys/ nor proc/)");
        }
        try {
            return new SystemRoot(dir.toRealPath(), false);
        } catch (IOException e) {
            throw new IllegalArgumentException(dir + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** True for the machine this runs on, false for a recorded tree. */
    public boolean isLive() {
        return live;
    }

    /** {@code absolute} (e.g. {@code /sys/block}) inside this root. */
    public Path path(String absolute) {
        if (!absolute.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute path: " + absolute);
        }
        return root.resolve(absolute.substring(1));
    }

    /** The machine-side absolute path of {@code p} (a path inside this root), e.g. {@code /dev/sda}. */
    public String machinePath(Path p) {
        return "/" + root.relativize(p.normalize());
    }

    /** The trimmed content, or null when absent, unreadable or blank. */
    public String read(Path file) {
        byte[] bytes = readBytes(file);
        if (bytes == null) {
            return null;
        }
        String text = new String(bytes, StandardCharsets.UTF_8).trim();
        return text.isEmpty() ? null : text;
    }

    /** The raw content, or null when absent or unreadable. */
    public byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** The lines of a text file; empty when absent or unreadable. */
    public List<String> lines(Path file) {
        String text = readRaw(file);
        return text == null ? List.of() : text.lines().toList();
    }

    private String readRaw(Path file) {
        byte[] bytes = readBytes(file);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** The directory's entries sorted by name; empty when absent or unreadable. */
    public List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return new ArrayList<>(entries.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList());
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }

    /** The canonical path (all symlinks resolved), or null when it does not resolve. */
    public Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** Where a symlink points, resolved lexically against its directory (the target need not exist), or null. */
    public Path linkTarget(Path link) {
        try {
            return link.getParent().resolve(Files.readSymbolicLink(link)).normalize();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /** The last name of a symlink's target (e.g. the driver of {@code device/driver}), or null. */
    public String linkName(Path link) {
        Path target = linkTarget(link);
        return target == null || target.getFileName() == null ? null : target.getFileName().toString();
    }

    /** True when the canonical path {@code real} lies under {@code absolute} of this root. */
    public boolean isUnder(Path real, String absolute) {
        return real != null && real.startsWith(path(absolute));
    }

    public boolean exists(Path p) {
        return Files.exists(p);
    }

    @Override
    public String toString() {
        return live ? "/" : root.toString();
    }
}
