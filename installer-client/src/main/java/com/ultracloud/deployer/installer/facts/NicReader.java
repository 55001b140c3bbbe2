package com.ultracloud.deployer.installer.facts;

import com.ultracloud.deployer.protocol.MachineInventory.Nic;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Physical NICs from {@code /sys/class/net}. Skipped: {@code lo}, devices that resolve under
 * {@code /sys/devices/virtual/} (bridges, bonds, veth, tun, ifb, ...) and devices without a
 * {@code device} link.
 * <p>
 * Permanent MAC: sysfs has no general file for the permanent address ({@code ethtool -P} uses an
 * ioctl), so {@code address} counts as permanent when {@code addr_assign_type} is 0 (NET_ADDR_PERM);
 * for random (1), stolen (2) or set (3) addresses {@code permanentMac} is null.
 */
final class NicReader {

    private static final String NET_ADDR_PERM = "0";

    private final SystemRoot root;

    NicReader(SystemRoot root) {
        this.root = root;
    }

    List<Nic> read() {
        List<Nic> nics = new ArrayList<>();
        for (Path entry : root.list(root.path("/sys/class/net"))) {
            String name = entry.getFileName().toString();
            Path dir = root.realPath(entry);
            if (name.equals("lo") || dir == null || root.isUnder(dir, "/sys/devices/virtual")) {
                continue;
            }
            Path device = root.realPath(dir.resolve("device"));
            if (device == null) {
                continue;
            }
            String mac = lower(root.read(dir.resolve("address")));
            String permanent = NET_ADDR_PERM.equals(root.read(dir.resolve("addr_assign_type"))) ? mac : null;
            nics.add(new Nic(name, mac, permanent, root.linkName(device.resolve("driver")), speed(dir),
                    link(dir), PciAddress.nearest(device)));
        }
        return nics;
    }

    /** Mb/s; null when unknown (-1) or when the kernel refuses the read because the link is down. */
    private Integer speed(Path dir) {
        Integer speed = Numbers.parseInt(root.read(dir.resolve("speed")));
        return speed == null || speed <= 0 ? null : speed;
    }

    /** {@code carrier} when readable (EINVAL while the interface is down), else {@code operstate}. */
    private Boolean link(Path dir) {
        String carrier = root.read(dir.resolve("carrier"));
        if (carrier != null) {
            return carrier.equals("1");
        }
        String operstate = root.read(dir.resolve("operstate"));
        return operstate == null ? null : operstate.equals("up");
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
