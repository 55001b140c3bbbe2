package com.ultracloud.deployer.protocol;

import com.ultracloud.deployer.protocol.MachineInventory.Disk;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InventoryDigestTest {

    private static MachineInventory server(long sataBytes, String sataSerial) {
        return new MachineInventory(
                new MachineInventory.SystemIdentity("03000200-0400-0500-0006-000700080009", "To Be Filled By O.E.M.",
                        "OM21AS012345", "Supermicro", "SYS-1029P-WTR"),
                List.of(new MachineInventory.Nic("eno1", "3c:ec:ef:4a:10:02", "3c:ec:ef:4a:10:02", "ixgbe", 10000, true, "0000:19:00.0"),
                        new MachineInventory.Nic("eno2", "3c:ec:ef:4a:10:03", "3c:ec:ef:4a:10:03", "ixgbe", 10000, false, "0000:19:00.1")),
                List.of(new Disk("nvme0n1", List.of("nvme-SAMSUNG_MZQL2960HCJR-00A07_S64FNE0R812345"), "pci-0000:5e:00.0-nvme-1",
                                960_197_124_096L, "SAMSUNG MZQL2960HCJR-00A07", null, "S64FNE0R812345", null, null, null, null,
                                false, false, "nvme"),
                        new Disk("sda", List.of("ata-ST4000NM000A-2HZ100_" + sataSerial), "pci-0000:00:17.0-ata-1", sataBytes,
                                "ST4000NM000A-2HZ100", "ATA", sataSerial, "0x5000c500c1234567", null, null, "0:0:0:0",
                                true, false, "sata"),
                        new Disk("sdb", List.of("usb-SanDisk_Ultra_Fit_4C530001234567891234-0:0"), null, 30_752_636_928L,
                                "Ultra Fit", "SanDisk", "4C530001234567891234", null, null, null, "6:0:0:0", false, true, "usb")),
                new MachineInventory.Cpu("Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz", "x86_64", 1, 16, 32),
                137_438_953_472L,
                new MachineInventory.Boot("uefi", false),
                new MachineInventory.NetworkFacts(List.of("10.0.0.21/24"), "10.0.0.1", List.of("10.0.0.1")),
                new MachineInventory.InstallerInfo("0.1.0"));
    }

    @Test
    void sameFactsGiveTheSameDigest() {
        String first = InventoryDigest.of(server(4_000_787_030_016L, "WJG0ABCD"));
        String second = InventoryDigest.of(server(4_000_787_030_016L, "WJG0ABCD"));

        assertEquals(first, second);
        assertTrue(first.matches("sha256:[0-9a-f]{64}"), first);
    }

    @Test
    void aChangedDiskChangesTheDigest() {
        String before = InventoryDigest.of(server(4_000_787_030_016L, "WJG0ABCD"));

        assertNotEquals(before, InventoryDigest.of(server(4_000_787_030_016L, "WJG0WXYZ")), "replaced disk");
        assertNotEquals(before, InventoryDigest.of(server(8_001_563_222_016L, "WJG0ABCD")), "resized disk");
    }

    @Test
    void theCanonicalJsonSortsPropertiesAndLeavesOutNulls() {
        String json = InventoryDigest.canonicalJson(server(4_000_787_030_016L, "WJG0ABCD"));

        assertTrue(json.startsWith("{\"boot\":"), json);
        assertTrue(!json.contains("null"), json);
    }
}
