package com.ultracloud.deployer.installer.facts;

import com.ultracloud.deployer.protocol.MachineInventory.Boot;

import java.nio.file.Path;

/** Memory ({@code /proc/meminfo}) and boot mode ({@code /sys/firmware/efi}). */
final class SystemReaders {

    /** EFI global variable GUID; SecureBoot's content is 4 attribute bytes and one value byte. */
    static final String SECURE_BOOT_VAR = "SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c";

    private final SystemRoot root;

    SystemReaders(SystemRoot root) {
        this.root = root;
    }

    /** {@code MemTotal} (kB) × 1024: what the kernel can use, a little below the DIMM size. */
    Long memoryBytes() {
        for (String line : root.lines(root.path("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                String[] parts = line.substring("MemTotal:".length()).trim().split("\\s+");
                Long kb = Numbers.parseLong(parts[0]);
                return kb == null ? null : kb * 1024;
            }
        }
        return null;
    }

    /** UEFI when {@code /sys/firmware/efi} exists; secure boot from the SecureBoot variable when readable. */
    Boot boot() {
        Path efi = root.path("/sys/firmware/efi");
        if (!root.exists(efi)) {
            return new Boot("bios", null);
        }
        byte[] var = root.readBytes(efi.resolve("efivars").resolve(SECURE_BOOT_VAR));
        Boolean secureBoot = var == null || var.length < 5 ? null : var[var.length - 1] == 1;
        return new Boot("uefi", secureBoot);
    }
}
