package com.ultracloud.deployer.protocol.disk;

import com.ultracloud.deployer.protocol.MachineInventory.Disk;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StableDevicePathTest {

    private static Disk disk(List<String> byId, String byPath) {
        return new Disk("sdx", byId, byPath, 500L << 30, null, null, null, null, null, null, null, false, false, "sata");
    }

    @Test
    void wwnIsPreferredOverAtaAndScsiLinks() {
        assertThat(StableDevicePath.of(ServerDisks.INTEL_SSD)).contains("/dev/disk/by-id/wwn-0x55cd2e415123abcd");
    }

    @Test
    void nvmeEuiIsPreferredOverNvmeModelAndSerial() {
        assertThat(StableDevicePath.of(ServerDisks.NVME_0))
                .contains("/dev/disk/by-id/nvme-eui.36344730527001230025384500000001");
    }

    @Test
    void theOrderIsWwnThenNvmeEuiThenNvmeThenAtaThenScsi() {
        List<String> all = List.of("scsi-SATA_X_1", "ata-X_1", "nvme-X_1", "nvme-eui.0001", "wwn-0x1");
        for (int kept = all.size(); kept > 0; kept--) {
            List<String> links = all.subList(0, kept);
            assertThat(StableDevicePath.of(disk(links, null)))
                    .contains("/dev/disk/by-id/" + links.get(kept - 1));
        }
    }

    @Test
    void thePreferenceDoesNotDependOnTheReportedLinkOrder() {
        Disk one = disk(List.of("scsi-35000c500c1234567", "scsi-SATA_ST4000NM000A-2HZ_WS20ABCD"), null);
        Disk other = disk(List.of("scsi-SATA_ST4000NM000A-2HZ_WS20ABCD", "scsi-35000c500c1234567"), null);

        assertThat(StableDevicePath.of(one)).isEqualTo(StableDevicePath.of(other))
                .contains("/dev/disk/by-id/scsi-35000c500c1234567");
    }

    @Test
    void partitionLinksAreNeverUsed() {
        Disk onlyPartitions = disk(List.of("wwn-0x5000c500c1234567-part1", "ata-ST4000_WS20ABCD-part12"),
                "pci-0000:00:17.0-ata-2");

        assertThat(StableDevicePath.of(onlyPartitions)).contains("/dev/disk/by-path/pci-0000:00:17.0-ata-2");
        assertThat(StableDevicePath.of(disk(List.of(), "pci-0000:00:17.0-ata-2-part1"))).isEmpty();
    }

    @Test
    void contentDerivedAndUsbLinksAreNotStable() {
        Disk disk = disk(List.of("lvm-pv-uuid-Xc3k2P-9aQf-1bZr", "usb-SanDisk_Ultra_Fit_4C53-0:0"),
                "/dev/disk/by-path/pci-0000:00:14.0-usb-0:1:1.0-scsi-0:0:0:0");

        assertThat(StableDevicePath.of(disk)).contains("/dev/disk/by-path/pci-0000:00:14.0-usb-0:1:1.0-scsi-0:0:0:0");
    }

    @Test
    void virtioSerialLinksServeLabVms() {
        assertThat(StableDevicePath.of(ServerDisks.virtio("vda", 20, "os-1"))).contains("/dev/disk/by-id/virtio-os-1");
    }

    @Test
    void bareLinkNamesBecomeFullPaths() {
        assertThat(StableDevicePath.of(disk(List.of(), "pci-0000:00:1f.2-ata-3")))
                .contains("/dev/disk/by-path/pci-0000:00:1f.2-ata-3");
        assertThat(StableDevicePath.of(disk(List.of("ata-X_1"), null))).contains("/dev/disk/by-id/ata-X_1");
    }

    @Test
    void aDiskWithoutLinksHasNoStablePath() {
        assertThat(StableDevicePath.of(disk(List.of(), null))).isEmpty();
    }
}
