package com.ultracloud.deployer.machine.testdata;

import com.ultracloud.deployer.protocol.MachineInventory;
import com.ultracloud.deployer.protocol.MachineInventory.Cpu;
import com.ultracloud.deployer.protocol.MachineInventory.Disk;
import com.ultracloud.deployer.protocol.MachineInventory.Nic;
import com.ultracloud.deployer.protocol.MachineInventory.SystemIdentity;

import java.util.List;

/**
 * Realistic facts of the lab's compute server, as the installer reports them: a whitebox
 * Supermicro board whose firmware ships the well-known placeholder SMBIOS UUID, an NVMe and a
 * SATA disk, the USB stick the installer booted from (never a root disk), and two 10G NICs.
 */
public final class LabHardware {

    public static final long GIB = 1L << 30;

    /** The placeholder UUID that many AMI-based boards report (DESIGN §3: never an identity). */
    public static final String PLACEHOLDER_UUID = "03000200-0400-0500-0006-000700080009";
    /** A real Dell-style SMBIOS UUID, upper-case as dmidecode prints it. */
    public static final String REAL_UUID = "4C4C4544-0052-3310-8036-B7C04F4D4E32";

    public static final String ENO1_MAC = "3c:ec:ef:4a:10:02";
    public static final String ENO2_MAC = "3c:ec:ef:4a:10:03";

    private LabHardware() {
    }

    public static SystemIdentity whiteboxIdentity() {
        return new SystemIdentity(PLACEHOLDER_UUID, "To Be Filled By O.E.M.", "OM21AS012345", "Supermicro",
                "SYS-1029P-WTR");
    }

    public static SystemIdentity dellIdentity() {
        return new SystemIdentity(REAL_UUID, "7R3MNQ2", ".7R3MNQ2.CNCMS0012300AB.", "Dell Inc.", "PowerEdge R650");
    }

    public static Nic eno1() {
        return new Nic("eno1", ENO1_MAC, ENO1_MAC, "ixgbe", 10000, true, "0000:19:00.0");
    }

    public static Nic eno2() {
        return new Nic("eno2", ENO2_MAC, ENO2_MAC, "ixgbe", 10000, false, "0000:19:00.1");
    }

    public static Disk nvme() {
        return new Disk("nvme0n1",
                List.of("nvme-SAMSUNG_MZQL2960HCJR-00A07_S64FNE0R812345", "nvme-eui.36344630528123450025384500000001"),
                "pci-0000:5e:00.0-nvme-1", 960_197_124_096L, "SAMSUNG MZQL2960HCJR-00A07", null, "S64FNE0R812345",
                "eui.36344630528123450025384500000001", null, null, null, false, false, "nvme");
    }

    public static Disk sata() {
        return new Disk("sda", List.of("ata-ST4000NM000A-2HZ100_WJG0ABCD", "wwn-0x5000c500c1234567"),
                "pci-0000:00:17.0-ata-1", 4_000_787_030_016L, "ST4000NM000A-2HZ100", "ATA", "WJG0ABCD",
                "0x5000c500c1234567", "0x5000c500c1234567", null, "0:0:0:0", true, false, "sata");
    }

    public static Disk usbStick() {
        return new Disk("sdb", List.of("usb-SanDisk_Ultra_Fit_4C530001234567891234-0:0"),
                "pci-0000:00:14.0-usb-0:3:1.0-scsi-0:0:0:0", 30_752_636_928L, "Ultra Fit", "SanDisk",
                "4C530001234567891234", null, null, null, "6:0:0:0", false, true, "usb");
    }

    public static Cpu xeonSilver() {
        return new Cpu("Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz", "x86_64", 1, 16, 32);
    }

    /** The compute server: NVMe + SATA + USB stick, two NICs, 32 threads, 128 GiB. */
    public static MachineInventory server() {
        return inventory(whiteboxIdentity(), List.of(eno1(), eno2()), List.of(nvme(), sata(), usbStick()));
    }

    /** The same server after the operator pulled the USB stick: same identity, different facts. */
    public static MachineInventory serverWithoutUsbStick() {
        return inventory(whiteboxIdentity(), List.of(eno1(), eno2()), List.of(nvme(), sata()));
    }

    public static MachineInventory inventory(SystemIdentity identity, List<Nic> nics, List<Disk> disks) {
        return new MachineInventory(identity, nics, disks, xeonSilver(), 128 * GIB,
                new MachineInventory.Boot("uefi", false),
                new MachineInventory.NetworkFacts(List.of("10.0.0.21/24"), "10.0.0.1", List.of("10.0.0.1")),
                new MachineInventory.InstallerInfo("0.1.0"));
    }
}
