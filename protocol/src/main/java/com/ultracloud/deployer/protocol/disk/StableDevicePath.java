package com.ultracloud.deployer.protocol.disk;

import com.ultracloud.deployer.protocol.MachineInventory.Disk;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The path by which a plan names a disk: one that survives reboots and re-enumeration, never a
 * kernel name such as {@code /dev/sda}. Preference:
 * <ol>
 *   <li>a {@code /dev/disk/by-id/} link, by kind of identifier:
 *     <ol>
 *       <li>{@code wwn-…} — the World Wide Name, burnt into the device, the same on every host bus;</li>
 *       <li>{@code nvme-eui.…} — the NVMe namespace's EUI-64/NGUID, likewise a device identifier;</li>
 *       <li>{@code nvme-…} — the NVMe model + serial (and the {@code nvme-nvme.…} form);</li>
 *       <li>{@code ata-…} — the ATA model + serial;</li>
 *       <li>{@code scsi-…} — SCSI VPD identifiers (sg3_utils/udev forms);</li>
 *       <li>{@code virtio-…}, then {@code mmc-…} — serials of virtual and eMMC disks;</li>
 *     </ol>
 *     within one kind the lexicographically first link wins, so the choice does not depend on the
 *     order in which the installer listed the links. Partition links ({@code …-partN}) are never used,
 *     nor links derived from the disk's content or from a removable bus ({@code lvm-pv-uuid-}, {@code dm-},
 *     {@code md-}, {@code usb-}, …);</li>
 *   <li>otherwise the {@code /dev/disk/by-path/} link (not a partition's);</li>
 *   <li>otherwise none: such a disk cannot be the root device.</li>
 * </ol>
 * Links may be reported as full paths or as bare link names; both give a full path.
 */
public final class StableDevicePath {

    public static final String BY_ID = "/dev/disk/by-id/";
    public static final String BY_PATH = "/dev/disk/by-path/";

    /** by-id link kinds, most preferred first. */
    public static final List<String> BY_ID_PREFERENCE = List.of("wwn-", "nvme-eui.", "nvme-", "ata-", "scsi-",
            "virtio-", "mmc-");

    private static final Pattern PARTITION = Pattern.compile("-part\\d+$");

    private StableDevicePath() {
    }

    /** The disk's stable path, or empty when it has no usable by-id or by-path link. */
    public static Optional<String> of(Disk disk) {
        Optional<String> byId = disk.byId().stream()
                .map(RootDeviceHint::byIdPath)
                .filter(p -> p != null && p.startsWith(BY_ID))
                .filter(p -> !PARTITION.matcher(p).find())
                .filter(p -> rank(p) < BY_ID_PREFERENCE.size())
                .min(Comparator.comparingInt(StableDevicePath::rank).thenComparing(Comparator.naturalOrder()));
        if (byId.isPresent()) {
            return byId;
        }
        String byPath = RootDeviceHint.byPathPath(disk.byPath());
        if (byPath != null && byPath.startsWith(BY_PATH) && !PARTITION.matcher(byPath).find()) {
            return Optional.of(byPath);
        }
        return Optional.empty();
    }

    /** Index in {@link #BY_ID_PREFERENCE}; its size when the link is of no preferred kind. */
    private static int rank(String path) {
        String link = path.substring(BY_ID.length());
        for (int i = 0; i < BY_ID_PREFERENCE.size(); i++) {
            if (link.startsWith(BY_ID_PREFERENCE.get(i))) {
                return i;
            }
        }
        return BY_ID_PREFERENCE.size();
    }
}
