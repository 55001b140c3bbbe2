package com.ultracloud.deployer.installer.facts;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** The PCI address (domain:bus:device.function) nearest to a sysfs device path. */
final class PciAddress {

    private static final Pattern PCI = Pattern.compile("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");

    private PciAddress() {
    }

    /**
     * Walks up from {@code device} (a canonical sysfs path) to the first PCI function: the device itself
     * for a PCI NIC, its parent for a virtio device ({@code .../0000:00:03.0/virtio2}), the USB host
     * controller for a USB device. Null when there is none.
     */
    static String nearest(Path device) {
        for (Path p = device; p != null && p.getFileName() != null; p = p.getParent()) {
            String name = p.getFileName().toString();
            if (PCI.matcher(name).matches()) {
                return name;
            }
        }
        return null;
    }
}
