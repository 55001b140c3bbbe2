package com.ultracloud.deployer.installer.facts;

import com.ultracloud.deployer.protocol.MachineInventory.Disk;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Whole disks from {@code /sys/block}, their {@code /dev/disk/by-id} and {@code /dev/disk/by-path} links
 * and udev's properties.
 * <p>
 * Skipped: loop, ram, zram, dm-, md, sr (optical), fd, nbd devices, anything under
 * {@code /sys/devices/virtual/}, hidden devices (NVMe multipath paths) and empty media (size 0).
 * <p>
 * Sources in order of preference, as lsblk (and so Ironic's root-device hints) reads them: model and
 * vendor from udev's {@code ID_MODEL_ENC}/{@code ID_VENDOR_ENC} (decoded; {@code ID_MODEL} replaces
 * spaces with underscores), then sysfs {@code device/model}/{@code device/vendor} (SCSI truncates
 * models to 16 characters); serial from {@code ID_SERIAL_SHORT}, {@code ID_SERIAL}, sysfs
 * {@code device/serial} (NVMe), {@code serial} (virtio), {@code device/vpd_pg80} (SCSI); WWN from
 * {@code ID_WWN*}, then sysfs {@code wwid}/{@code device/wwid} ({@code naa.X} → {@code 0xX}, {@code eui.X}
 * kept; {@code t10.}/{@code nvme.} ids are not WWNs).
 */
final class DiskReader {

    private static final List<String> SKIPPED_PREFIXES = List.of("loop", "ram", "zram", "dm-", "md", "sr", "fd", "nbd");
    private static final Pattern ATA_PORT = Pattern.compile(".*/ata\\d+/.*");
    private static final String SECTOR = "512";

    private final SystemRoot root;
    private final UdevDatabase udev;

    DiskReader(SystemRoot root) {
        this.root = root;
        this.udev = new UdevDatabase(root);
    }

    List<Disk> read() {
        Map<String, List<String>> byId = links("/dev/disk/by-id");
        Map<String, List<String>> byPath = links("/dev/disk/by-path");
        List<Disk> disks = new ArrayList<>();
        for (Path entry : root.list(root.path("/sys/block"))) {
            String name = entry.getFileName().toString();
            Path dir = root.realPath(entry);
            if (SKIPPED_PREFIXES.stream().anyMatch(name::startsWith) || dir == null
                    || root.isUnder(dir, "/sys/devices/virtual") || "1".equals(root.read(dir.resolve("hidden")))) {
                continue;
            }
            Long sectors = Numbers.parseLong(root.read(dir.resolve("size")));
            if (sectors == null || sectors <= 0) {
                continue;
            }
            disks.add(disk(name, dir, sectors * Long.parseLong(SECTOR), byId, byPath));
        }
        return disks;
    }

    private Disk disk(String name, Path dir, long sizeBytes, Map<String, List<String>> byIdLinks,
                      Map<String, List<String>> byPathLinks) {
        String node = "/dev/" + name;
        UdevDatabase.Properties props = udev.block(root.read(dir.resolve("dev")));
        Path device = dir.resolve("device");
        String hctl = hctl(device);
        String transport = transport(name, dir, hctl != null, props.get("ID_BUS"));
        boolean scsiOrNvme = hctl != null || "nvme".equals(transport);

        String model = first(props.decoded("ID_MODEL_ENC"), scsiOrNvme ? root.read(device.resolve("model")) : null,
                props.get("ID_MODEL"));
        String vendor = first(props.decoded("ID_VENDOR_ENC"), hctl != null ? root.read(device.resolve("vendor")) : null,
                props.get("ID_VENDOR"));
        String serial = first(props.get("ID_SERIAL_SHORT"), props.get("ID_SERIAL"), root.read(device.resolve("serial")),
                root.read(dir.resolve("serial")), vpdSerial(device));
        String sysfsWwn = wwn(first(root.read(dir.resolve("wwid")), root.read(device.resolve("wwid"))));
        String wwn = first(props.get("ID_WWN"), sysfsWwn);
        String wwnWithExtension = first(props.get("ID_WWN_WITH_EXTENSION"),
                props.get("ID_WWN") == null && sysfsWwn != null && sysfsWwn.startsWith("0x") ? sysfsWwn : null);

        List<String> ids = byIdLinks.getOrDefault(node, List.of());
        List<String> paths = byPathLinks.getOrDefault(node, List.of());
        String idPath = props.get("ID_PATH") == null ? null : "/dev/disk/by-path/" + props.get("ID_PATH");
        // udev's ID_PATH names the canonical one; newer udev adds e.g. "-ata-1.0" next to "-ata-1": else the shortest
        String byPath = idPath != null && paths.contains(idPath) ? idPath
                : paths.stream().min(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder())).orElse(null);

        return new Disk(node, ids, byPath, sizeBytes, model, vendor, serial, wwn, wwnWithExtension,
                props.get("ID_WWN_VENDOR_EXTENSION"), hctl, bool(root.read(dir.resolve("queue/rotational"))),
                bool(root.read(dir.resolve("removable"))), transport);
    }

    /** Links in {@code dir} by the whole-disk node they point at ({@code /dev/sda}); partitions point elsewhere. */
    private Map<String, List<String>> links(String dir) {
        Map<String, List<String>> byTarget = new TreeMap<>();
        for (Path link : root.list(root.path(dir))) {
            Path target = root.linkTarget(link);
            if (target != null && target.startsWith(root.path("/dev"))) {
                byTarget.computeIfAbsent(root.machinePath(target), k -> new ArrayList<>())
                        .add(dir + "/" + link.getFileName());
            }
        }
        byTarget.values().forEach(l -> l.sort(Comparator.naturalOrder()));
        return byTarget;
    }

    private String hctl(Path device) {
        return root.list(device.resolve("scsi_device")).stream()
                .map(p -> p.getFileName().toString()).findFirst().orElse(null);
    }

    private String transport(String name, Path dir, boolean scsi, String udevBus) {
        String path = root.machinePath(dir);
        if (name.startsWith("nvme")) {
            return "nvme";
        }
        if (path.contains("/virtio")) {
            return "virtio";
        }
        if (path.contains("/usb")) {
            return "usb";
        }
        if (path.contains("/end_device-")) {
            return "sas";
        }
        if (ATA_PORT.matcher(path).matches()) {
            return "sata";
        }
        if (name.startsWith("mmcblk")) {
            return "mmc";
        }
        if (scsi) {
            return "scsi";
        }
        return udevBus;
    }

    /** The unit serial number VPD page (0x80) of a SCSI device: a 4-byte header, then the serial. */
    private String vpdSerial(Path device) {
        byte[] page = root.readBytes(device.resolve("vpd_pg80"));
        if (page == null || page.length <= 4 || (page[1] & 0xff) != 0x80) {
            return null;
        }
        int length = Math.min(page.length - 4, ((page[2] & 0xff) << 8) | (page[3] & 0xff));
        String serial = new String(Arrays.copyOfRange(page, 4, 4 + length), StandardCharsets.US_ASCII).trim();
        return serial.isEmpty() ? null : serial;
    }

    private static String wwn(String wwid) {
        if (wwid == null) {
            return null;
        }
        if (wwid.startsWith("naa.")) {
            return "0x" + wwid.substring(4).toLowerCase(java.util.Locale.ROOT);
        }
        return wwid.startsWith("eui.") ? wwid : null;
    }

    private static Boolean bool(String flag) {
        return flag == null ? null : flag.equals("1");
    }

    private static String first(String... candidates) {
        for (String c : candidates) {
            if (c != null && !c.isBlank()) {
                return c.trim();
            }
        }
        return null;
    }
}
