package com.ultracloud.deployer.protocol.disk;

import com.ultracloud.deployer.protocol.MachineInventory.Disk;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Picks the root disk among the disks an installer reported, as Ironic's
 * {@code match_root_device_hints} does, and explains the choice.
 *
 * <p><b>With hints</b>, a disk qualifies when it satisfies every hint; the first qualifying disk in
 * the installer's reported order wins (so of two identical disks, the one reported first).
 *
 * <p><b>Without hints</b> the choice follows Ironic's {@code guess_root_disk}: the <em>smallest</em>
 * disk of at least {@value #MIN_DEFAULT_ROOT_GIB} GiB, equal sizes going to the one reported first.
 * Not simply the first reported disk: kernel names and enumeration order can change from one boot to
 * the next, while sizes do not, and preferring the smallest disk keeps a hint-less plan off the big
 * data disks. Operators who want another disk say so with hints.
 *
 * <p><b>Always</b>, whatever the hints: a removable disk or one on the {@code usb} transport is never
 * the root disk (an installer stick matching every hint is still refused, and its rejection says so),
 * and neither is a disk without a stable path ({@link StableDevicePath}), because a plan never names
 * {@code /dev/sdX}.
 */
public final class RootDeviceResolver {

    /** Minimum size of a disk chosen without hints (Ironic's default {@code min_size_required}). */
    public static final long MIN_DEFAULT_ROOT_GIB = 4;

    private static final long MIN_DEFAULT_ROOT_BYTES = MIN_DEFAULT_ROOT_GIB * RootDeviceHint.BYTES_PER_GIB;

    private RootDeviceResolver() {
    }

    /**
     * @param disksInReportedOrder the disks as the installer reported them (its order breaks ties)
     * @param hints                parsed hints; {@link RootDeviceHints#none()} for the default choice
     * @return the choice with every rejection explained; never {@code null}
     */
    public static RootDeviceResolution resolve(List<Disk> disksInReportedOrder, RootDeviceHints hints) {
        Objects.requireNonNull(disksInReportedOrder, "disksInReportedOrder");
        Objects.requireNonNull(hints, "hints");
        List<Assessment> assessed = new ArrayList<>();
        for (int i = 0; i < disksInReportedOrder.size(); i++) {
            Disk disk = Objects.requireNonNull(disksInReportedOrder.get(i), "disk #" + (i + 1));
            assessed.add(assess(disk, i, hints));
        }

        Assessment chosen = hints.isEmpty() ? smallestQualifying(assessed) : firstQualifying(assessed);

        List<RootDeviceResolution.Rejection> rejections = new ArrayList<>();
        for (Assessment a : assessed) {
            if (a != chosen) {
                rejections.add(new RootDeviceResolution.Rejection(a.label, reasons(a, chosen, hints)));
            }
        }

        if (chosen == null) {
            return new RootDeviceResolution(null, null, Map.of(), rejections,
                    noMatchSummary(hints, assessed.isEmpty(), rejections));
        }
        String path = chosen.stablePath.orElseThrow();
        return new RootDeviceResolution(chosen.disk, path, hints.expressions(), rejections,
                chosenSummary(chosen, path, hints, rejections.size()));
    }

    /** What one disk is, in the light of the hints. */
    private record Assessment(Disk disk, String label, Optional<String> stablePath, Optional<String> neverRoot,
                              List<String> unmetHints) {

        boolean qualifies() {
            return neverRoot.isEmpty() && stablePath.isPresent() && unmetHints.isEmpty();
        }

        boolean bigEnoughWithoutHints() {
            return disk.sizeBytes() != null && disk.sizeBytes() >= MIN_DEFAULT_ROOT_BYTES;
        }
    }

    private static Assessment assess(Disk disk, int index, RootDeviceHints hints) {
        List<String> unmet = hints.hints().stream()
                .map(h -> h.unmetBy(disk))
                .flatMap(Optional::stream)
                .toList();
        return new Assessment(disk, label(disk, index), StableDevicePath.of(disk), neverRoot(disk), unmet);
    }

    private static Assessment firstQualifying(List<Assessment> assessed) {
        return assessed.stream().filter(Assessment::qualifies).findFirst().orElse(null);
    }

    private static Assessment smallestQualifying(List<Assessment> assessed) {
        Assessment best = null;
        for (Assessment a : assessed) {
            if (a.qualifies() && a.bigEnoughWithoutHints()
                    && (best == null || a.disk.sizeBytes() < best.disk.sizeBytes())) {
                best = a; // strictly smaller only: equal sizes keep the one reported first
            }
        }
        return best;
    }

    /** Why a disk can never be the root disk, whatever the hints: removable media and USB. */
    private static Optional<String> neverRoot(Disk disk) {
        boolean removable = Boolean.TRUE.equals(disk.removable());
        String transport = disk.transport() == null ? null : disk.transport().trim().toLowerCase(Locale.ROOT);
        boolean usb = "usb".equals(transport);
        if (removable) {
            return Optional.of(transport == null || transport.isEmpty() ? "removable" : "removable (" + transport + ")");
        }
        return usb ? Optional.of("on the usb transport") : Optional.empty();
    }

    private static List<String> reasons(Assessment a, Assessment chosen, RootDeviceHints hints) {
        List<String> reasons = new ArrayList<>();
        a.neverRoot.ifPresent(why -> reasons.add(why + " — never a root disk"
                + (!hints.isEmpty() && a.unmetHints.isEmpty() ? ", even though it matches every hint" : "")));
        if (a.stablePath.isEmpty()) {
            reasons.add("no stable /dev/disk path (neither a usable by-id nor a by-path link)");
        }
        reasons.addAll(a.unmetHints);
        if (hints.isEmpty() && !a.bigEnoughWithoutHints()) {
            reasons.add(a.disk.sizeBytes() == null
                    ? "size not reported; without hints only disks of at least " + MIN_DEFAULT_ROOT_GIB + " GiB qualify"
                    : "size " + RootDeviceHint.formatGib(a.disk.sizeBytes()) + " is below the "
                    + MIN_DEFAULT_ROOT_GIB + " GiB minimum for a root disk chosen without hints");
        }
        if (reasons.isEmpty() && chosen != null) {
            if (!hints.isEmpty()) {
                reasons.add("also matches every hint, but " + chosen.label + " was reported first");
            } else if (a.disk.sizeBytes().equals(chosen.disk.sizeBytes())) {
                reasons.add("same size as " + chosen.label + ", which was reported first");
            } else {
                reasons.add("size " + RootDeviceHint.formatGib(a.disk.sizeBytes()) + " is larger than "
                        + chosen.label + " (" + RootDeviceHint.formatGib(chosen.disk.sizeBytes())
                        + "); without hints the smallest disk wins");
            }
        }
        return reasons;
    }

    private static String chosenSummary(Assessment chosen, String path, RootDeviceHints hints, int rejected) {
        String others = rejected == 0 ? "" : "; " + rejected + " other disk" + (rejected == 1 ? "" : "s")
                + " rejected";
        if (hints.isEmpty()) {
            return "No root device hints given: chose " + chosen.label + " (" + path + ", "
                    + RootDeviceHint.formatGib(chosen.disk.sizeBytes()) + "), the smallest non-removable disk of at least "
                    + MIN_DEFAULT_ROOT_GIB + " GiB" + others + ".";
        }
        return "Chose " + chosen.label + " (" + path + "), the first reported disk that satisfies " + hints
                + others + ".";
    }

    private static String noMatchSummary(RootDeviceHints hints, boolean noDisks,
                                         List<RootDeviceResolution.Rejection> rejections) {
        if (noDisks) {
            return "No root disk: the machine reported no disks.";
        }
        String why = rejections.stream().map(RootDeviceResolution.Rejection::describe)
                .collect(Collectors.joining(" | "));
        if (hints.isEmpty()) {
            return "No root device hints given and no disk qualifies as the default root disk: " + why + ".";
        }
        return "No disk satisfies the root device hints (" + hints + "): " + why + ".";
    }

    /** The disk's kernel name without {@code /dev/}, or its position when it has none. */
    private static String label(Disk disk, int index) {
        String name = disk.name() == null ? "" : disk.name().trim();
        if (name.startsWith("/dev/")) {
            name = name.substring("/dev/".length());
        }
        return name.isEmpty() ? "disk #" + (index + 1) : name;
    }
}
