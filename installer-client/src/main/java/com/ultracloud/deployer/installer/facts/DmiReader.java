package com.ultracloud.deployer.installer.facts;

import com.ultracloud.deployer.protocol.MachineInventory.SystemIdentity;

import java.nio.file.Path;
import java.util.Locale;

/**
 * SMBIOS identity from {@code /sys/class/dmi/id}. VMs without DMI (and non-root users, who may not read
 * {@code product_uuid} or the serials) get null fields. Values are reported as the firmware has them,
 * placeholders included: deciding that {@code 03000200-0400-0500-0006-000700080009} is not a real UUID
 * is the deployer's fingerprint rule, not the installer's.
 */
final class DmiReader {

    private final SystemRoot root;

    DmiReader(SystemRoot root) {
        this.root = root;
    }

    SystemIdentity read() {
        Path dmi = root.path("/sys/class/dmi/id");
        String uuid = root.read(dmi.resolve("product_uuid"));
        return new SystemIdentity(
                uuid == null ? null : uuid.toLowerCase(Locale.ROOT),
                root.read(dmi.resolve("product_serial")),
                root.read(dmi.resolve("board_serial")),
                root.read(dmi.resolve("sys_vendor")),
                root.read(dmi.resolve("product_name")));
    }
}
