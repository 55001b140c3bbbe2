package com.ultracloud.deployer.installer.facts;

import com.ultracloud.deployer.protocol.MachineInventory;
import com.ultracloud.deployer.protocol.MachineInventory.Boot;
import com.ultracloud.deployer.protocol.MachineInventory.Cpu;
import com.ultracloud.deployer.protocol.MachineInventory.Disk;
import com.ultracloud.deployer.protocol.MachineInventory.InstallerInfo;
import com.ultracloud.deployer.protocol.MachineInventory.NetworkFacts;
import com.ultracloud.deployer.protocol.MachineInventory.Nic;
import com.ultracloud.deployer.protocol.MachineInventory.SystemIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The exact facts collected from the three recorded trees in {@code src/test/resources/trees}. */
class FactsCollectorTest {

    private static final long GIB = 1024L * 1024 * 1024;

    @TempDir
    Path dir;

    private MachineInventory collect(String tree) {
        return new FactsCollector(SystemRoot.recorded(RecordedTree.build(tree, dir)), "9.9.9-test").collect();
    }

    @Test
    void serverWithNvmeSataAndUsbStickReportsEveryDiskWithItsStableLinks() {
        MachineInventory facts = collect("server-nvme-sata-usb");

        assertThat(facts.identity()).isEqualTo(new SystemIdentity("4c4c4544-0042-3510-8051-b4c04f4e3432",
                "4B5QJ43", ".4B5QJ43.CNFCP0012A00B4.", "Dell Inc.", "PowerEdge R650"));
        assertThat(facts.nics()).containsExactly(
                new Nic("eno12399np0", "b0:26:28:a1:b2:c0", "b0:26:28:a1:b2:c0", "bnxt_en", 25000, true, "0000:31:00.0"),
                new Nic("eno12409np1", "b0:26:28:a1:b2:c1", "b0:26:28:a1:b2:c1", "bnxt_en", null, false, "0000:31:00.1"));
        assertThat(facts.disks()).containsExactly(
                new Disk("/dev/nvme0n1",
                        List.of("/dev/disk/by-id/nvme-SAMSUNG_MZQL21T9HCJR-00A07_S64GNE0R401234",
                                "/dev/disk/by-id/nvme-eui.36344730524012340025384500000001"),
                        "/dev/disk/by-path/pci-0000:01:00.0-nvme-1", 3750748848L * 512,
                        "SAMSUNG MZQL21T9HCJR-00A07", null, "S64GNE0R401234",
                        "eui.36344730524012340025384500000001", null, null, null, false, false, "nvme"),
                new Disk("/dev/sda",
                        List.of("/dev/disk/by-id/ata-INTEL_SSDSC2KB480G8_PHYF912345AB480BGN",
                                "/dev/disk/by-id/wwn-0x55cd2e4150a1b2c3"),
                        "/dev/disk/by-path/pci-0000:00:17.0-ata-1", 937703088L * 512,
                        "INTEL SSDSC2KB480G8", "ATA", "PHYF912345AB480BGN", "0x55cd2e4150a1b2c3",
                        "0x55cd2e4150a1b2c3", null, "0:0:0:0", false, false, "sata"),
                // no udev entry: sysfs model (truncated to 16 characters), serial from VPD page 0x80, naa WWID
                new Disk("/dev/sdb",
                        List.of("/dev/disk/by-id/ata-ST4000NM000A-2HZ100_WJG0ABCD",
                                "/dev/disk/by-id/wwn-0x5000c500a1b2c3d4"),
                        "/dev/disk/by-path/pci-0000:00:17.0-ata-2", 7814037168L * 512,
                        "ST4000NM000A-2HZ", "ATA", "WJG0ABCD", "0x5000c500a1b2c3d4", "0x5000c500a1b2c3d4", null,
                        "1:0:0:0", true, false, "sata"),
                new Disk("/dev/sdc",
                        List.of("/dev/disk/by-id/usb-SanDisk_Ultra_Fit_4C530001230915105123-0:0"),
                        "/dev/disk/by-path/pci-0000:00:14.0-usb-0:4:1.0-scsi-0:0:0:0", 60125184L * 512,
                        "Ultra Fit", "SanDisk", "4C530001230915105123", null, null, null, "6:0:0:0", true, true, "usb"));
        assertThat(facts.cpu()).isEqualTo(new Cpu("Intel(R) Xeon(R) Gold 5318Y CPU @ 2.10GHz", "x86_64", 2, 48, 96));
        assertThat(facts.memoryBytes()).isEqualTo(263766440L * 1024);
        assertThat(facts.boot()).isEqualTo(new Boot("uefi", true));
        assertThat(facts.network()).isEqualTo(new NetworkFacts(List.of("10.42.0.171/24"), "10.42.0.1",
                List.of("10.42.0.1", "10.42.0.2")));
        assertThat(facts.installer()).isEqualTo(new InstallerInfo("9.9.9-test"));
    }

    @Test
    void serverSkipsLoopZramDeviceMapperOpticalAndVirtualNics() {
        MachineInventory facts = collect("server-nvme-sata-usb");

        assertThat(facts.disks()).extracting(Disk::name)
                .doesNotContain("/dev/loop0", "/dev/zram0", "/dev/dm-0", "/dev/sr0");
        assertThat(facts.disks()).flatExtracting(Disk::byId)
                .noneMatch(link -> link.contains("-part") || link.contains("dm-name") || link.contains("iDRAC"));
        assertThat(facts.nics()).extracting(Nic::name).doesNotContain("lo", "br0");
    }

    @Test
    void vmWithVirtioDisksAndNoDmiHasNullIdentityAndByPathOnlyDisk() {
        MachineInventory facts = collect("vm-virtio-no-dmi");

        assertThat(facts.identity()).isEqualTo(new SystemIdentity(null, null, null, null, null));
        assertThat(facts.nics()).containsExactly(
                new Nic("ens3", "52:54:00:12:34:56", "52:54:00:12:34:56", "virtio_net", null, true, "0000:00:03.0"));
        assertThat(facts.disks()).containsExactly(
                new Disk("/dev/vda", List.of("/dev/disk/by-id/virtio-ROOT-0001"), "/dev/disk/by-path/pci-0000:00:04.0",
                        40 * GIB, null, null, "ROOT-0001", null, null, null, null, true, false, "virtio"),
                new Disk("/dev/vdb", List.of(), "/dev/disk/by-path/pci-0000:00:05.0",
                        100 * GIB, null, null, null, null, null, null, null, true, false, "virtio"));
        assertThat(facts.cpu()).isEqualTo(new Cpu("AMD EPYC-Milan Processor", "x86_64", 1, 2, 2));
        assertThat(facts.memoryBytes()).isEqualTo(8145284L * 1024);
        assertThat(facts.boot()).isEqualTo(new Boot("bios", null));
        // lowest-metric default route; resolved's stub replaced by its upstream servers
        assertThat(facts.network()).isEqualTo(new NetworkFacts(List.of("10.0.2.15/24", "fec0::5054:ff:fe12:3456/64"),
                "10.0.2.2", List.of("10.0.2.3")));
    }

    @Test
    void placeholderUuidBoxReportsPermanentMacOnlyForTheBurntInAddress() {
        MachineInventory facts = collect("placeholder-uuid-box");

        assertThat(facts.identity()).isEqualTo(new SystemIdentity("03000200-0400-0500-0006-000700080009",
                "To Be Filled By O.E.M.", "M80-D6012345678", "To Be Filled By O.E.M.", "To Be Filled By O.E.M."));
        assertThat(facts.nics()).containsExactly(
                new Nic("enp3s0", "a8:a1:59:12:34:56", "a8:a1:59:12:34:56", "r8169", 1000, true, "0000:03:00.0"),
                new Nic("enp4s0", "02:5e:11:22:33:44", null, "igb", 1000, false, "0000:04:00.0"));
        // what the deployer's fingerprint (lowest permanent MAC) will see: the burnt-in address, not the
        // numerically lower random one
        assertThat(facts.nics()).extracting(Nic::permanentMac).filteredOn(mac -> mac != null)
                .containsExactly("a8:a1:59:12:34:56");
        assertThat(facts.nics()).extracting(Nic::name).doesNotContain("lo", "ghost0");
        assertThat(facts.disks()).containsExactly(
                new Disk("/dev/nvme0n1",
                        List.of("/dev/disk/by-id/nvme-WD_BLACK_SN770_1TB_22475R801234",
                                "/dev/disk/by-id/nvme-eui.e8238fa6bf530001001b448b4a1b2c3d"),
                        "/dev/disk/by-path/pci-0000:05:00.0-nvme-1", 1953525168L * 512, "WD_BLACK SN770 1TB", null,
                        "22475R801234", "eui.e8238fa6bf530001001b448b4a1b2c3d", null, null, null, false, false, "nvme"));
        assertThat(facts.cpu()).isEqualTo(new Cpu("AMD Ryzen 5 5600G with Radeon Graphics", "x86_64", 1, 6, 12));
        assertThat(facts.boot()).isEqualTo(new Boot("uefi", false));
        assertThat(facts.network()).isEqualTo(new NetworkFacts(List.of("192.168.168.23/24"), null,
                List.of("192.168.168.1")));
    }

    @Test
    void anEmptyTreeGivesNullFactsNotACrash() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("sys"));

        MachineInventory facts = new FactsCollector(SystemRoot.recorded(dir), "v").collect();

        assertThat(facts.identity()).isEqualTo(new SystemIdentity(null, null, null, null, null));
        assertThat(facts.nics()).isEmpty();
        assertThat(facts.disks()).isEmpty();
        assertThat(facts.memoryBytes()).isNull();
        assertThat(facts.boot()).isEqualTo(new Boot("bios", null));
        assertThat(facts.network()).isEqualTo(new NetworkFacts(List.of(), null, List.of()));
    }
}
