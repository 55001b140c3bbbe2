package com.ultracloud.deployer.protocol.disk;

import com.ultracloud.deployer.protocol.MachineInventory.Disk;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of {@link RootDeviceResolver#resolve}: the chosen disk and its stable path (both
 * {@code null} when no disk qualifies), the hints it matched (name → normalised expression, in
 * {@link RootDeviceHints#VALID_NAMES} order; empty when none were given or no disk was chosen), why every other disk was rejected (in reported order), and a one-sentence
 * {@code summary} fit for an install plan's {@code rootDevice.reason} or an operator's screen.
 */
public record RootDeviceResolution(Disk disk, String path, Map<String, String> matchedHints,
                                   List<Rejection> rejections, String summary) {

    /** Why one disk is not the root device; {@code disk} is its kernel name without {@code /dev/}. */
    public record Rejection(String disk, List<String> reasons) {
        public Rejection {
            reasons = List.copyOf(reasons);
        }

        /** E.g. {@code "sdb: size 447.1 GiB does not satisfy >= 1000"}. */
        public String describe() {
            return disk + ": " + String.join("; ", reasons);
        }

        @Override
        public String toString() {
            return describe();
        }
    }

    public RootDeviceResolution {
        if ((disk == null) != (path == null)) {
            throw new IllegalArgumentException("a chosen disk needs its stable path, and only a chosen disk has one");
        }
        matchedHints = Collections.unmodifiableMap(new LinkedHashMap<>(matchedHints));
        rejections = List.copyOf(rejections);
    }

    public boolean found() {
        return disk != null;
    }

    public Optional<Disk> chosenDisk() {
        return Optional.ofNullable(disk);
    }

    public Optional<String> stablePath() {
        return Optional.ofNullable(path);
    }

    /** The rejection of the disk with this kernel name ({@code sdb} or {@code /dev/sdb}), if it was rejected. */
    public Optional<Rejection> rejectionOf(String diskName) {
        String wanted = diskName.startsWith("/dev/") ? diskName.substring("/dev/".length()) : diskName;
        return rejections.stream().filter(r -> r.disk().equals(wanted)).findFirst();
    }
}
