package com.ultracloud.deployer.machine.domain;

import com.ultracloud.deployer.machine.api.HardwareRequirements;
import com.ultracloud.deployer.protocol.MachineInventory;
import com.ultracloud.deployer.protocol.MachineInventory.Disk;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.ultracloud.deployer.machine.testdata.LabHardware.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The lab server: 32 threads, 128 GiB, NVMe 960 GB + SATA 4 TB + a USB stick, two NICs. */
class InspectionCheckTest {

    private static final MachineInventory SERVER = server();
    private static final long SATA_BYTES = 4_000_787_030_016L;

    @Test
    void theServerMeetsRequirementsAtItsExactSize() {
        assertThat(InspectionCheck.unmet(SERVER, new HardwareRequirements(32, null, 128 * GIB, 2, SATA_BYTES, 2, null))).isEmpty();
    }

    @Test
    void noRequirementsAreAlwaysMet() {
        assertThat(InspectionCheck.unmet(SERVER, HardwareRequirements.NONE)).isEmpty();
        assertThat(InspectionCheck.unmet(SERVER, null)).isEmpty();
    }

    @Test
    void tooFewCpuThreadsIsUnmet() {
        assertThat(InspectionCheck.unmet(SERVER, new HardwareRequirements(64, null, null, null, null, null, null)))
                .containsExactly("cpu.threads: 32 < required 64");
    }

    @Test
    void tooLittleMemoryIsUnmet() {
        assertThat(InspectionCheck.unmet(SERVER, new HardwareRequirements(null, null, 256 * GIB, null, null, null, null)))
                .containsExactly("memoryBytes: 128 GiB < required 256 GiB");
    }

    @Test
    void tooFewDisksIsUnmetAndTheUsbStickDoesNotCount() {
        assertThat(SERVER.disks()).hasSize(3);
        assertThat(InspectionCheck.unmet(SERVER, new HardwareRequirements(null, null, null, 3, null, null, null)))
                .containsExactly("disks: 2 non-removable < required 3");
    }

    @Test
    void tooSmallALargestDiskIsUnmet() {
        assertThat(InspectionCheck.unmet(SERVER, new HardwareRequirements(null, null, null, null, 8 * 1024 * GIB, null, null)))
                .containsExactly("disks: largest non-removable disk " + SATA_BYTES + " bytes < required 8192 GiB");
    }

    @Test
    void tooFewNicsIsUnmet() {
        assertThat(InspectionCheck.unmet(SERVER, new HardwareRequirements(null, null, null, null, null, 4, null)))
                .containsExactly("nics: 2 < required 4");
    }

    @Test
    void aLargeRemovableDiskDoesNotMeetTheDiskRequirements() {
        Disk bootSsd = new Disk("sda", List.of("ata-INTEL_SSDSC2KB240G8_PHYF1234"), "pci-0000:00:17.0-ata-1",
                240_057_409_536L, "INTEL SSDSC2KB240G8", "ATA", "PHYF1234", null, null, null, "0:0:0:0", false, false, "sata");
        Disk usbDrive = new Disk("sdb", List.of("usb-WD_Elements_25A3_5758313241-0:0"), null, 2_000_365_289_472L,
                "Elements 25A3", "WD", "5758313241", null, null, null, "6:0:0:0", true, true, "usb");
        MachineInventory facts = inventory(whiteboxIdentity(), List.of(eno1()), List.of(bootSsd, usbDrive));

        assertThat(InspectionCheck.unmet(facts, new HardwareRequirements(null, null, null, 2, 1_000_000_000_000L, null, null)))
                .containsExactly("disks: 1 non-removable < required 2",
                        "disks: largest non-removable disk 240057409536 bytes < required 1000000000000 bytes");
    }

    @Test
    void cpuCoresAreCheckedBesideThreads() {
        // 16 cores, 32 threads: a class may ask for physical cores as well as threads
        assertThat(InspectionCheck.unmet(SERVER, new HardwareRequirements(32, 16, null, null, null, null, null))).isEmpty();
        assertThat(InspectionCheck.unmet(SERVER, new HardwareRequirements(32, 24, null, null, null, null, null)))
                .containsExactly("cpu.cores: 16 < required 24");
    }

    @Test
    void nicSpeedIsMetByTheFastestNicWithALink() {
        // eno1 and eno2 report 10000 Mb/s
        assertThat(InspectionCheck.unmet(SERVER, new HardwareRequirements(null, null, null, null, null, 2, 10000))).isEmpty();
        assertThat(InspectionCheck.unmet(SERVER, new HardwareRequirements(null, null, null, null, null, null, 25000)))
                .containsExactly("nics: fastest reported link 10000 Mbps < required 25000 Mbps");
        MachineInventory.Nic down = new MachineInventory.Nic("eno1", ENO1_MAC, ENO1_MAC, "ixgbe", null, false, null);
        MachineInventory unplugged = inventory(whiteboxIdentity(), List.of(down), List.of(nvme()));
        assertThat(InspectionCheck.unmet(unplugged, new HardwareRequirements(null, null, null, null, null, null, 1000)))
                .containsExactly("nics: fastest reported link unknown < required 1000 Mbps");
    }

    @Test
    void everyShortfallIsListedNotJustTheFirst() {
        assertThat(InspectionCheck.unmet(SERVER, new HardwareRequirements(64, 32, 512 * GIB, 8, 8 * 1024 * GIB, 4, 40000))).hasSize(7);
    }

    @Test
    void unknownFactsDoNotMeetARequirement() {
        MachineInventory noCpu = new MachineInventory(whiteboxIdentity(), List.of(eno1()), List.of(), null, null,
                null, null, null);
        assertThat(InspectionCheck.unmet(noCpu, new HardwareRequirements(1, null, GIB, null, null, null, null)))
                .containsExactly("cpu.threads: unknown < required 1", "memoryBytes: unknown < required 1 GiB");
    }
}
