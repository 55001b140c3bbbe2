package com.ultracloud.deployer.protocol.disk;

import com.ultracloud.deployer.protocol.MachineInventory.Disk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.ultracloud.deployer.protocol.disk.ServerDisks.GIB;
import static com.ultracloud.deployer.protocol.disk.ServerDisks.INTEL_SSD;
import static com.ultracloud.deployer.protocol.disk.ServerDisks.NVME_0;
import static com.ultracloud.deployer.protocol.disk.ServerDisks.NVME_1;
import static com.ultracloud.deployer.protocol.disk.ServerDisks.SEAGATE_HDD;
import static com.ultracloud.deployer.protocol.disk.ServerDisks.SERVER;
import static com.ultracloud.deployer.protocol.disk.ServerDisks.USB_STICK;
import static org.assertj.core.api.Assertions.assertThat;

class RootDeviceResolverTest {

    private static final String NVME_0_PATH = "/dev/disk/by-id/nvme-eui.36344730527001230025384500000001";
    private static final String NVME_1_PATH = "/dev/disk/by-id/nvme-eui.36344730527004560025384500000001";
    private static final String INTEL_PATH = "/dev/disk/by-id/wwn-0x55cd2e415123abcd";
    private static final String SEAGATE_PATH = "/dev/disk/by-id/wwn-0x5000c500c1234567";

    private static RootDeviceResolution resolve(List<Disk> disks, Map<String, ?> hints) {
        return RootDeviceResolver.resolve(disks, RootDeviceHints.parse(hints));
    }

    private static RootDeviceResolution resolve(Map<String, ?> hints) {
        return resolve(SERVER, hints);
    }

    // --- size -------------------------------------------------------------------------------------

    @Test
    void sizeIsComparedInExactGibNotRounded() {
        RootDeviceResolution equal = resolve(Map.of("size", "== 1788"));
        assertThat(equal.found()).isFalse();
        assertThat(equal.rejectionOf("nvme0n1")).hasValueSatisfying(r ->
                assertThat(r.reasons()).containsExactly("size 1788.5 GiB does not satisfy == 1788"));

        RootDeviceResolution atLeast = resolve(Map.of("size", ">= 1788", "rotational", false));
        assertThat(atLeast.path()).isEqualTo(NVME_0_PATH);

        assertThat(resolve(Map.of("size", "> 3726")).disk()).isEqualTo(SEAGATE_HDD); // 3726.02 GiB
    }

    @ParameterizedTest(name = "size {0} on a VM with 20 and 100 GiB disks picks {1}")
    @CsvSource({
            "100,     vdb",
            "== 20,   vda",
            "!= 20,   vdb",
            ">= 100,  vdb",
            "<= 20,   vda",
            "> 20,    vdb",
            "< 100,   vda"})
    void everySizeOperatorSelectsTheRightDisk(String expression, String expected) {
        List<Disk> vm = List.of(ServerDisks.virtio("vda", 20, "os-1"), ServerDisks.virtio("vdb", 100, "data-1"));

        RootDeviceResolution resolution = resolve(vm, Map.of("size", expression));

        assertThat(resolution.disk().name()).isEqualTo(expected);
    }

    @Test
    void sizeRejectionsStateTheDiskSizeAndTheExpression() {
        RootDeviceResolution r = resolve(Map.of("size", ">= 1000"));

        assertThat(r.disk()).isEqualTo(SEAGATE_HDD);
        assertThat(r.rejectionOf("sda").orElseThrow().describe())
                .isEqualTo("sda: size 447.1 GiB does not satisfy >= 1000");
    }

    @Test
    void sizeAboveEveryFixedDiskFindsNothingEvenWhenTheStickIsSmallEnough() {
        RootDeviceResolution r = resolve(Map.of("size", "< 100"));

        assertThat(r.found()).isFalse();
        assertThat(r.rejectionOf("sdc").orElseThrow().reasons())
                .containsExactly("removable (usb) — never a root disk, even though it matches every hint");
    }

    // --- string hints -------------------------------------------------------------------------------

    @Test
    void plainModelMatchesCaseInsensitively() {
        RootDeviceResolution r = resolve(Map.of("model", "samsung mzql21t9hcjr-00a07"));

        assertThat(r.disk()).isEqualTo(NVME_0);
        assertThat(r.matchedHints()).containsExactly(Map.entry("model", "s== samsung mzql21t9hcjr-00a07"));
    }

    @Test
    void stringEqualsRejectionQuotesTheDiskValueAndTheExpression() {
        RootDeviceResolution r = resolve(Map.of("model", "s== INTEL SSDSC2KB480G8"));

        assertThat(r.disk()).isEqualTo(INTEL_SSD);
        assertThat(r.rejectionOf("nvme1n1").orElseThrow().describe()).isEqualTo(
                "nvme1n1: model 'SAMSUNG MZQL21T9HCJR-00A07' does not satisfy s== 'INTEL SSDSC2KB480G8'");
    }

    @Test
    void stringNotEqualsSkipsTheNamedValue() {
        RootDeviceResolution r = resolve(Map.of("model", "s!= intel ssdsc2kb480g8"));

        assertThat(r.disk()).isEqualTo(SEAGATE_HDD);
        assertThat(r.rejectionOf("sda").orElseThrow().reasons())
                .containsExactly("model 'INTEL SSDSC2KB480G8' does not satisfy s!= 'intel ssdsc2kb480g8'");
    }

    @Test
    void inMatchesASubstringCaseInsensitively() {
        assertThat(resolve(Map.of("model", "<in> mzql2")).disk()).isEqualTo(NVME_0);
        assertThat(resolve(Map.of("serial", "<in> 700456")).disk()).isEqualTo(NVME_1);
    }

    @Test
    void orMatchesAnyAlternativeAndTheFirstReportedDiskWins() {
        RootDeviceResolution r = resolve(Map.of("model", "<or> SAMSUNG MZQL21T9HCJR-00A07 <or> st4000nm000a-2hz100"));

        assertThat(r.disk()).isEqualTo(SEAGATE_HDD);
        assertThat(r.rejectionOf("sda").orElseThrow().reasons()).containsExactly("model 'INTEL SSDSC2KB480G8' "
                + "does not satisfy <or> 'SAMSUNG MZQL21T9HCJR-00A07' <or> 'st4000nm000a-2hz100'");
    }

    @Test
    void serialPicksTheSecondOfTwoIdenticalNvmeModels() {
        RootDeviceResolution r = resolve(Map.of("serial", "S64GNE0R700456"));

        assertThat(r.disk()).isEqualTo(NVME_1);
        assertThat(r.path()).isEqualTo(NVME_1_PATH);
    }

    @Test
    void vendorIsComparedAsReported() {
        RootDeviceResolution r = resolve(Map.of("vendor", "ata", "rotational", "yes"));

        assertThat(r.disk()).isEqualTo(SEAGATE_HDD);
        assertThat(r.rejectionOf("nvme0n1").orElseThrow().reasons())
                .containsExactly("vendor not reported, cannot satisfy s== 'ata'", "rotational is false, hint requires true");
    }

    @Test
    void wwnMatchesCaseInsensitively() {
        assertThat(resolve(Map.of("wwn", "0X55CD2E415123ABCD")).disk()).isEqualTo(INTEL_SSD);
        assertThat(resolve(Map.of("wwn", "eui.36344730527004560025384500000001")).disk()).isEqualTo(NVME_1);
    }

    @Test
    void wwnWithExtensionAndVendorExtensionMatchARaidVolume() {
        Disk raidVolume = new Disk("sdd", List.of("wwn-0x600508b1001c4d5e8f3a2b1c9d0e7f60",
                "scsi-3600508b1001c4d5e8f3a2b1c9d0e7f60"), "pci-0000:5c:00.0-scsi-0:1:0:0", 960L * GIB,
                "LOGICAL VOLUME", "HPE", "PDNMF0ARH8X0ZZ", "0x600508b1001c4d5e", "0x600508b1001c4d5e8f3a2b1c9d0e7f60",
                "0x8f3a2b1c9d0e7f60", "2:1:0:0", false, false, "sas");
        List<Disk> disks = List.of(INTEL_SSD, raidVolume);

        assertThat(resolve(disks, Map.of("wwn_with_extension", "0x600508b1001c4d5e8f3a2b1c9d0e7f60")).disk())
                .isEqualTo(raidVolume);
        RootDeviceResolution byVendorExtension = resolve(disks, Map.of("wwn_vendor_extension", "0x8F3A2B1C9D0E7F60"));
        assertThat(byVendorExtension.disk()).isEqualTo(raidVolume);
        assertThat(byVendorExtension.rejectionOf("sda").orElseThrow().reasons())
                .containsExactly("wwn_vendor_extension not reported, cannot satisfy s== '0x8F3A2B1C9D0E7F60'");
    }

    @Test
    void hctlPicksTheDiskAtThatScsiAddress() {
        assertThat(resolve(Map.of("hctl", "1:0:0:0")).disk()).isEqualTo(SEAGATE_HDD);
    }

    @Test
    void byPathMatchesWithOrWithoutTheByPathPrefix() {
        assertThat(resolve(Map.of("by_path", "pci-0000:00:17.0-ata-2")).disk()).isEqualTo(SEAGATE_HDD);
        assertThat(resolve(Map.of("by_path", "/dev/disk/by-path/pci-0000:00:17.0-ata-1")).disk()).isEqualTo(INTEL_SSD);
        assertThat(resolve(Map.of("by_path", "<in> pci-0000:42:")).disk()).isEqualTo(NVME_1);
    }

    @Test
    void nameMatchesTheKernelNameButThePlanNamesAStablePath() {
        RootDeviceResolution r = resolve(Map.of("name", "/dev/sdb"));

        assertThat(r.disk()).isEqualTo(SEAGATE_HDD);
        assertThat(r.path()).isEqualTo(SEAGATE_PATH).doesNotStartWith("/dev/sd");
        assertThat(resolve(Map.of("name", "sda")).path()).isEqualTo(INTEL_PATH);
    }

    @Test
    void nameMatchesAnyByIdLinkOrTheByPathLink() {
        assertThat(resolve(Map.of("name", "/dev/disk/by-id/nvme-SAMSUNG_MZQL21T9HCJR-00A07_S64GNE0R700456")).disk())
                .isEqualTo(NVME_1);
        assertThat(resolve(Map.of("name", "/dev/disk/by-id/ata-INTEL_SSDSC2KB480G8_PHYF912300AB480BGN")).disk())
                .isEqualTo(INTEL_SSD);
        assertThat(resolve(Map.of("name", "/dev/disk/by-path/pci-0000:41:00.0-nvme-1")).disk()).isEqualTo(NVME_0);
    }

    @Test
    void nameRejectionSaysNoLinkMatchedEither() {
        RootDeviceResolution r = resolve(Map.of("name", "/dev/nvme1n1"));

        assertThat(r.rejectionOf("nvme0n1").orElseThrow().reasons()).containsExactly(
                "name '/dev/nvme0n1' (nor any of its /dev/disk links) does not satisfy s== '/dev/nvme1n1'");
    }

    // --- rotational ---------------------------------------------------------------------------------

    @Test
    void rotationalTrueChoosesTheSpinningDisk() {
        assertThat(resolve(Map.of("rotational", "on")).disk()).isEqualTo(SEAGATE_HDD);
    }

    @Test
    void rotationalFalseWithASizeFloorChoosesTheFirstNvme() {
        RootDeviceResolution r = resolve(Map.of("rotational", "No", "size", ">= 1000"));

        assertThat(r.disk()).isEqualTo(NVME_0);
        assertThat(r.rejectionOf("sdb").orElseThrow().reasons())
                .containsExactly("rotational is true, hint requires false");
    }

    @Test
    void aDiskThatDoesNotSayWhetherItSpinsNeverMatchesRotational() {
        Disk unknown = new Disk("sde", List.of("wwn-0x5000000000000001"), null, 100L * GIB, null, null, null,
                null, null, null, null, null, false, "sata");

        RootDeviceResolution r = resolve(List.of(unknown), Map.of("rotational", false));

        assertThat(r.found()).isFalse();
        assertThat(r.rejections()).singleElement().hasToString("sde: rotational not reported, cannot satisfy false");
    }

    // --- rules --------------------------------------------------------------------------------------

    @Test
    void everyHintMustMatch() {
        Map<String, Object> hints = new LinkedHashMap<>();
        hints.put("model", "<in> samsung");
        hints.put("serial", "S64GNE0R700456");
        hints.put("size", ">= 1788");
        hints.put("rotational", "0");

        RootDeviceResolution r = resolve(hints);

        assertThat(r.disk()).isEqualTo(NVME_1);
        assertThat(r.matchedHints()).containsExactly(
                Map.entry("size", ">= 1788"),
                Map.entry("model", "<in> samsung"),
                Map.entry("serial", "s== S64GNE0R700456"),
                Map.entry("rotational", "false"));
        assertThat(r.rejectionOf("nvme0n1").orElseThrow().reasons())
                .containsExactly("serial 'S64GNE0R700123' does not satisfy s== 'S64GNE0R700456'");
    }

    @Test
    void usbStickIsNeverChosenEvenWhenEveryHintMatchesIt() {
        Map<String, Object> hints = new LinkedHashMap<>();
        hints.put("model", "Ultra Fit");
        hints.put("vendor", "sandisk");
        hints.put("serial", "4C530001230815112345");
        hints.put("size", "<= 32");

        RootDeviceResolution r = resolve(hints);

        assertThat(r.found()).isFalse();
        assertThat(r.chosenDisk()).isEmpty();
        assertThat(r.stablePath()).isEmpty();
        assertThat(r.matchedHints()).isEmpty();
        assertThat(r.rejectionOf("sdc").orElseThrow().describe())
                .isEqualTo("sdc: removable (usb) — never a root disk, even though it matches every hint");
    }

    @Test
    void usbStickIsNotTheDefaultEvenThoughItIsTheSmallestDisk() {
        RootDeviceResolution r = RootDeviceResolver.resolve(SERVER, RootDeviceHints.none());

        assertThat(r.disk()).isNotEqualTo(USB_STICK);
        assertThat(r.rejectionOf("sdc").orElseThrow().reasons()).containsExactly("removable (usb) — never a root disk");
    }

    @Test
    void aUsbDiskIsRefusedEvenWhenNotFlaggedRemovable() {
        Disk usbSsd = new Disk("sdd", List.of("wwn-0x5002538e40a1b2c3"), "pci-0000:00:14.0-usb-0:2:1.0-scsi-0:0:0:0",
                ServerDisks.PM9A3_BYTES, "Portable SSD T7", "Samsung", "S5SXNG0R123456", "0x5002538e40a1b2c3", null, null,
                "7:0:0:0", false, false, "usb");

        RootDeviceResolution r = resolve(List.of(usbSsd, NVME_0), Map.of("size", ">= 1000"));

        assertThat(r.disk()).isEqualTo(NVME_0);
        assertThat(r.rejectionOf("sdd").orElseThrow().reasons())
                .containsExactly("on the usb transport — never a root disk, even though it matches every hint");
    }

    @Test
    void tiesGoToTheFirstReportedDisk() {
        Disk twinA = ServerDisks.withSerial(NVME_1, "nvme2n1", "S64GNE0R700789");
        List<Disk> disks = List.of(twinA, NVME_0, NVME_1);

        RootDeviceResolution r = resolve(disks, Map.of("model", "SAMSUNG MZQL21T9HCJR-00A07", "size", ">= 1788"));

        assertThat(r.disk()).isEqualTo(twinA);
        assertThat(r.rejectionOf("nvme0n1").orElseThrow().reasons())
                .containsExactly("also matches every hint, but nvme2n1 was reported first");
    }

    @Test
    void aDiskWithoutAStablePathCannotBeTheRootDevice() {
        Disk bare = new Disk("/dev/sde", List.of("ata-SAMSUNG_SSD_870_S6PNNX0T123456-part1"), null, 500L * GIB,
                "Samsung SSD 870", "ATA", "S6PNNX0T123456", null, null, null, "3:0:0:0", false, false, "sata");

        RootDeviceResolution r = resolve(List.of(bare, INTEL_SSD), Map.of("model", "<in> ssd"));

        assertThat(r.disk()).isEqualTo(INTEL_SSD);
        assertThat(r.rejectionOf("/dev/sde").orElseThrow().reasons())
                .containsExactly("no stable /dev/disk path (neither a usable by-id nor a by-path link)");
    }

    // --- no hints -----------------------------------------------------------------------------------

    @Test
    void withoutHintsTheSmallestNonRemovableDiskOfAtLeastFourGibIsChosen() {
        RootDeviceResolution r = RootDeviceResolver.resolve(SERVER, RootDeviceHints.none());

        assertThat(r.disk()).isEqualTo(INTEL_SSD);
        assertThat(r.path()).isEqualTo(INTEL_PATH);
        assertThat(r.matchedHints()).isEmpty();
        assertThat(r.rejectionOf("sdb").orElseThrow().reasons()).containsExactly(
                "size 3726.023 GiB is larger than sda (447.1 GiB); without hints the smallest disk wins");
        assertThat(r.summary()).isEqualTo("No root device hints given: chose sda (" + INTEL_PATH
                + ", 447.1 GiB), the smallest non-removable disk of at least 4 GiB; 4 other disks rejected.");
    }

    @Test
    void withoutHintsTheReportedOrderDoesNotMatterOnlySizeDoes() {
        List<Disk> reordered = List.of(NVME_1, NVME_0, SEAGATE_HDD, USB_STICK, INTEL_SSD);

        assertThat(RootDeviceResolver.resolve(reordered, RootDeviceHints.none()).disk()).isEqualTo(INTEL_SSD);
    }

    @Test
    void withoutHintsDisksBelowFourGibAreSkipped() {
        Disk satadom = new Disk("sda", List.of("ata-SATADOM-SL_3ME3_B1806281234"), null, 2L * GIB, "SATADOM-SL 3ME3",
                "ATA", "B1806281234", null, null, null, "0:0:0:0", false, false, "sata");

        RootDeviceResolution r = RootDeviceResolver.resolve(List.of(satadom, NVME_0), RootDeviceHints.none());

        assertThat(r.disk()).isEqualTo(NVME_0);
        assertThat(r.rejectionOf("sda").orElseThrow().reasons())
                .containsExactly("size 2 GiB is below the 4 GiB minimum for a root disk chosen without hints");
    }

    @Test
    void withoutHintsEqualSizesGoToTheFirstReported() {
        RootDeviceResolution r = RootDeviceResolver.resolve(List.of(NVME_1, NVME_0), RootDeviceHints.none());

        assertThat(r.disk()).isEqualTo(NVME_1);
        assertThat(r.rejectionOf("nvme0n1").orElseThrow().reasons())
                .containsExactly("same size as nvme1n1, which was reported first");
    }

    // --- explanations -------------------------------------------------------------------------------

    @Test
    void noMatchExplainsEveryDiskInReportedOrder() {
        RootDeviceResolution r = resolve(Map.of("size", ">= 5000", "rotational", "false"));

        assertThat(r.found()).isFalse();
        assertThat(r.disk()).isNull();
        assertThat(r.path()).isNull();
        assertThat(r.rejections()).extracting(RootDeviceResolution.Rejection::disk)
                .containsExactly("sda", "sdb", "sdc", "nvme0n1", "nvme1n1");
        assertThat(r.rejections()).extracting(RootDeviceResolution.Rejection::describe).containsExactly(
                "sda: size 447.1 GiB does not satisfy >= 5000",
                "sdb: size 3726.023 GiB does not satisfy >= 5000; rotational is true, hint requires false",
                "sdc: removable (usb) — never a root disk; size 28.6 GiB does not satisfy >= 5000",
                "nvme0n1: size 1788.5 GiB does not satisfy >= 5000",
                "nvme1n1: size 1788.5 GiB does not satisfy >= 5000");
        assertThat(r.summary())
                .startsWith("No disk satisfies the root device hints (size >= 5000, rotational false): ")
                .contains("sda: size 447.1 GiB does not satisfy >= 5000")
                .contains("nvme1n1: size 1788.5 GiB does not satisfy >= 5000");
    }

    @Test
    void summaryNamesTheChosenDiskItsPathAndTheHints() {
        RootDeviceResolution r = resolve(Map.of("size", ">= 1000", "rotational", false));

        assertThat(r.summary()).isEqualTo("Chose nvme0n1 (" + NVME_0_PATH + "), the first reported disk that "
                + "satisfies size >= 1000, rotational false; 4 other disks rejected.");
    }

    @Test
    void aMachineWithoutDisksHasNoRootDevice() {
        RootDeviceResolution r = RootDeviceResolver.resolve(List.of(), RootDeviceHints.parse(Map.of("size", 100)));

        assertThat(r.found()).isFalse();
        assertThat(r.rejections()).isEmpty();
        assertThat(r.summary()).isEqualTo("No root disk: the machine reported no disks.");
    }

    @Test
    void withoutHintsAndWithoutAQualifyingDiskTheSummarySaysWhy() {
        RootDeviceResolution r = RootDeviceResolver.resolve(List.of(USB_STICK), RootDeviceHints.none());

        assertThat(r.found()).isFalse();
        assertThat(r.summary()).isEqualTo("No root device hints given and no disk qualifies as the default root disk: "
                + "sdc: removable (usb) — never a root disk.");
    }
}
