package com.ultracloud.deployer.installer.facts;

import com.ultracloud.deployer.protocol.MachineInventory.NetworkFacts;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Addresses, default gateway and resolvers.
 * <ul>
 *   <li>addresses: on the live machine from the JDK ({@link NetworkInterface}: interfaces that are up,
 *   not loopback; link-local addresses left out), as {@code address/prefix}. For a recorded tree from
 *   {@value #RECORDED_ADDRESSES}: one {@code address/prefix} per line, {@code #} comments, e.g. recorded
 *   with {@code ip -o addr show scope global | awk '{print $4}'}; the JDK cannot answer for a recorded
 *   machine, and a plain list is easier to record and review than {@code /proc/net/fib_trie}.</li>
 *   <li>gateway: the default route of {@code /proc/net/route} with the lowest metric.</li>
 *   <li>dns: the {@code nameserver}s of {@code /etc/resolv.conf}; when that names only systemd-resolved's
 *   stub (127.0.0.53), the upstream servers of {@code /run/systemd/resolve/resolv.conf}.</li>
 * </ul>
 */
final class NetworkReader {

    static final String RECORDED_ADDRESSES = "/recorded/addresses";
    private static final int RTF_GATEWAY = 0x2;
    private static final String RESOLVED_STUB = "127.0.0.53";

    private final SystemRoot root;

    NetworkReader(SystemRoot root) {
        this.root = root;
    }

    NetworkFacts read() {
        return new NetworkFacts(root.isLive() ? liveAddresses() : recordedAddresses(), gateway(), dns());
    }

    private List<String> recordedAddresses() {
        return root.lines(root.path(RECORDED_ADDRESSES)).stream().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static List<String> liveAddresses() {
        List<String> addresses = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InterfaceAddress a : nic.getInterfaceAddresses()) {
                    InetAddress address = a.getAddress();
                    if (address.isLoopbackAddress() || address.isLinkLocalAddress()) {
                        continue;
                    }
                    String host = address instanceof Inet6Address v6 ? ipv6(v6.getAddress()) : address.getHostAddress();
                    addresses.add(host + "/" + a.getNetworkPrefixLength());
                }
            }
        } catch (SocketException e) {
            return List.of();
        }
        return addresses;
    }

    /** RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as "::". */
    static String ipv6(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    /** {@code Iface Destination Gateway Flags RefCnt Use Metric Mask ...}, addresses in little-endian hex. */
    private String gateway() {
        String best = null;
        long bestMetric = Long.MAX_VALUE;
        for (String line : root.lines(root.path("/proc/net/route"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8 || !f[1].equals("00000000") || !f[7].equals("00000000")) {
                continue;
            }
            try {
                int flags = Integer.parseInt(f[3], 16);
                long metric = Long.parseLong(f[6]);
                if ((flags & RTF_GATEWAY) != 0 && metric < bestMetric) {
                    best = littleEndianIpv4(f[2]);
                    bestMetric = metric;
                }
            } catch (NumberFormatException e) {
                // header line or garbage: skip
            }
        }
        return best;
    }

    private static String littleEndianIpv4(String hex) {
        long v = Long.parseLong(hex, 16);
        return (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 24) & 0xff);
    }

    private List<String> dns() {
        List<String> servers = nameservers("/etc/resolv.conf");
        if (!servers.isEmpty() && servers.stream().allMatch(RESOLVED_STUB::equals)) {
            List<String> upstream = nameservers("/run/systemd/resolve/resolv.conf");
            if (!upstream.isEmpty()) {
                return upstream;
            }
        }
        return servers;
    }

    private List<String> nameservers(String file) {
        return root.lines(root.path(file)).stream().map(String::trim)
                .filter(l -> l.startsWith("nameserver"))
                .map(l -> l.split("\\s+"))
                .filter(f -> f.length >= 2)
                .map(f -> f[1])
                .toList();
    }
}
