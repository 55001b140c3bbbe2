package com.ultracloud.deployer.protocol.disk;

import com.ultracloud.deployer.protocol.MachineInventory.Disk;

import java.util.List;

/**
 * Realistic disk facts of one 1U server as its installer reports them, SATA disks first (as lsblk
 * lists them): an Intel D3-S4510 480 GB SSD, a Seagate 4 TB HDD, the SanDisk installer stick, and
 * two Samsung PM9A3 1.92 TB NVMe drives. Some links are reported as full paths, some as bare link
 * names; partition links are present, as udev creates them.
 */
final class ServerDisks {

    static final long PM9A3_BYTES = 1_920_383_410_176L;      // 1788.5 GiB
    static final long D3_S4510_BYTES = 480_103_981_056L;     // 447.1 GiB
    static final long EXOS_4TB_BYTES = 4_000_787_030_016L;   // 3726.023 GiB: shown with 3 decimals, as one would read "3726.0"
    static final long SANDISK_BYTES = 30_752_636_928L;       // 28.6 GiB
    static final long GIB = 1L << 30;

    static final Disk INTEL_SSD = new Disk("sda",
            List.of("ata-INTEL_SSDSC2KB480G8_PHYF912300AB480BGN",
                    "ata-INTEL_SSDSC2KB480G8_PHYF912300AB480BGN-part1",
                    "scsi-355cd2e415123abcd",
                    "wwn-0x55cd2e415123abcd",
                    "wwn-0x55cd2e415123abcd-part1"),
            "pci-0000:00:17.0-ata-1", D3_S4510_BYTES, "INTEL SSDSC2KB480G8", "ATA", "PHYF912300AB480BGN",
            "0x55cd2e415123abcd", "0x55cd2e415123abcd", null, "0:0:0:0", false, false, "sata");

    static final Disk SEAGATE_HDD = new Disk("/dev/sdb",
            List.of("/dev/disk/by-id/ata-ST4000NM000A-2HZ100_WS20ABCD",
                    "/dev/disk/by-id/wwn-0x5000c500c1234567"),
            "/dev/disk/by-path/pci-0000:00:17.0-ata-2", EXOS_4TB_BYTES, "ST4000NM000A-2HZ100", "ATA", "WS20ABCD",
            "0x5000c500c1234567", "0x5000c500c1234567", null, "1:0:0:0", true, false, "sata");

    static final Disk USB_STICK = new Disk("sdc",
            List.of("/dev/disk/by-id/usb-SanDisk_Ultra_Fit_4C530001230815112345-0:0"),
            "/dev/disk/by-path/pci-0000:00:14.0-usb-0:1:1.0-scsi-0:0:0:0", SANDISK_BYTES, "Ultra Fit", "SanDisk",
            "4C530001230815112345", null, null, null, "6:0:0:0", false, true, "usb");

    static final Disk NVME_0 = nvme("nvme0n1", "S64GNE0R700123", "36344730527001230025384500000001", "41");
    static final Disk NVME_1 = nvme("nvme1n1", "S64GNE0R700456", "36344730527004560025384500000001", "42");

    /** The server, in the installer's reported order. */
    static final List<Disk> SERVER = List.of(INTEL_SSD, SEAGATE_HDD, USB_STICK, NVME_0, NVME_1);

    private ServerDisks() {
    }

    static Disk nvme(String name, String serial, String eui, String pciBus) {
        return new Disk(name,
                List.of("/dev/disk/by-id/nvme-SAMSUNG_MZQL21T9HCJR-00A07_" + serial,
                        "/dev/disk/by-id/nvme-SAMSUNG_MZQL21T9HCJR-00A07_" + serial + "-part1",
                        "/dev/disk/by-id/nvme-eui." + eui,
                        "/dev/disk/by-id/nvme-eui." + eui + "-part1"),
                "/dev/disk/by-path/pci-0000:" + pciBus + ":00.0-nvme-1", PM9A3_BYTES,
                "SAMSUNG MZQL21T9HCJR-00A07", null, serial, "eui." + eui, null, null, null, false, false, "nvme");
    }

    /** A virtio disk of a lab VM: whole-GiB size, serial-based by-id link. */
    static Disk virtio(String name, long gib, String serial) {
        return new Disk(name, List.of("virtio-" + serial), "pci-0000:00:0" + name.charAt(2) + ".0",
                gib * GIB, null, "0x1af4", serial, null, null, null, null, true, false, "virtio");
    }

    /** A disk with the given facts changed, for one-off cases. */
    static Disk withSerial(Disk d, String name, String serial) {
        return new Disk(name, d.byId(), d.byPath(), d.sizeBytes(), d.model(), d.vendor(), serial, d.wwn(),
                d.wwnWithExtension(), d.wwnVendorExtension(), d.hctl(), d.rotational(), d.removable(), d.transport());
    }
}
