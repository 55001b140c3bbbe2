package com.ultracloud.deployer.installer.facts;

import com.ultracloud.deployer.protocol.MachineInventory;

/**
 * Collects the discover request (DESIGN §8.1) from a {@link SystemRoot}: identity from DMI, NICs,
 * disks, CPU, memory, boot mode and network. Never throws for missing or unreadable facts; they are null.
 */
public final class FactsCollector {

    private final SystemRoot root;
    private final String installerVersion;

    public FactsCollector(SystemRoot root, String installerVersion) {
        this.root = root;
        this.installerVersion = installerVersion;
    }

    public MachineInventory collect() {
        SystemReaders system = new SystemReaders(root);
        return new MachineInventory(
                new DmiReader(root).read(),
                new NicReader(root).read(),
                new DiskReader(root).read(),
                new CpuReader(root).read(),
                system.memoryBytes(),
                system.boot(),
                new NetworkReader(root).read(),
                new MachineInventory.InstallerInfo(installerVersion));
    }
}
