package com.ultracloud.deployer.machine.domain;

import com.ultracloud.deployer.protocol.MachineInventory;
import com.ultracloud.deployer.protocol.MachineInventory.Nic;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which parts of a machine's hardware differ between two announcements: {@code identity}, {@code nics},
 * {@code disks}, {@code cpu}, {@code memoryBytes}, {@code boot}. What follows the cable and the DHCP
 * server rather than the machine — link state, link speed, addresses, gateway, DNS — and the installer's
 * own version and key are not hardware.
 */
public final class HardwareChange {

    private HardwareChange() {
    }

    /** The changed sections, in that order; empty when the hardware is the same. */
    public static List<String> between(MachineInventory before, MachineInventory after) {
        Objects.requireNonNull(after, "after");
        List<String> changed = new ArrayList<>();
        if (before == null) {
            return List.of("identity", "nics", "disks", "cpu", "memoryBytes", "boot");
        }
        if (!Objects.equals(before.identity(), after.identity())) changed.add("identity");
        if (!nicHardware(before.nics()).equals(nicHardware(after.nics()))) changed.add("nics");
        if (!before.disks().equals(after.disks())) changed.add("disks");
        if (!Objects.equals(before.cpu(), after.cpu())) changed.add("cpu");
        if (!Objects.equals(before.memoryBytes(), after.memoryBytes())) changed.add("memoryBytes");
        if (!Objects.equals(before.boot(), after.boot())) changed.add("boot");
        return List.copyOf(changed);
    }

    private static List<Nic> nicHardware(List<Nic> nics) {
        return nics.stream().map(n -> n == null ? null
                : new Nic(n.name(), n.mac(), n.permanentMac(), n.driver(), null, null, n.pciAddress())).toList();
    }
}
