package com.ultracloud.deployer.installer.lab;

import com.ultracloud.deployer.protocol.MachineInventory;

import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * One simulated machine: a label, its facts (a fixture, or a clone of one with a fresh identity) and
 * the fixture it came from (which says what an operator would commission it as).
 */
public record LabMachine(String label, String fixture, MachineInventory facts) {

    /**
     * A clone of {@code original} with a fresh identity: new SMBIOS UUID, system and board serials,
     * and locally administered MACs, so the deployer sees a new machine with the same hardware.
     */
    public static LabMachine clone(String label, String fixture, MachineInventory original, Random random) {
        MachineInventory.SystemIdentity id = original.identity();
        MachineInventory.SystemIdentity fresh = new MachineInventory.SystemIdentity(
                new UUID(random.nextLong(), random.nextLong()).toString(),
                "LAB" + hex(random, 12), "LABB" + hex(random, 10),
                id == null ? null : id.vendor(), id == null ? null : id.product());
        var nics = original.nics().stream().map(n -> {
            String mac = mac(random);
            return new MachineInventory.Nic(n.name(), mac, n.permanentMac() == null ? null : mac, n.driver(),
                    n.speedMbps(), n.link(), n.pciAddress());
        }).toList();
        return new LabMachine(label, fixture, new MachineInventory(fresh, nics, original.disks(), original.cpu(),
                original.memoryBytes(), original.boot(), original.network(), original.installer()));
    }

    private static String mac(Random random) {
        StringBuilder b = new StringBuilder("02");
        for (int i = 0; i < 5; i++) {
            b.append(':').append(String.format(Locale.ROOT, "%02x", random.nextInt(256)));
        }
        return b.toString();
    }

    private static String hex(Random random, int digits) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < digits; i++) {
            b.append(Character.toUpperCase(Character.forDigit(random.nextInt(16), 16)));
        }
        return b.toString();
    }
}
