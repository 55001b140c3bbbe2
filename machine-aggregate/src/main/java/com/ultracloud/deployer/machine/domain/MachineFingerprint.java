package com.ultracloud.deployer.machine.domain;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.protocol.MachineInventory;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A machine's stable identity (DESIGN §3): the SMBIOS system UUID when it is real, otherwise the
 * lowest permanent MAC of a physical NIC. Firmware vendors ship placeholder UUIDs that many boards
 * share, so those never identify a machine.
 */
public record MachineFingerprint(String value, Source source) {

    public enum Source { SMBIOS_UUID, PERMANENT_MAC, MAC }

    /** Placeholders seen in the field: every board of a batch reports the same one. */
    static final Set<String> PLACEHOLDER_UUIDS = Set.of(
            "00000000-0000-0000-0000-000000000000",
            "ffffffff-ffff-ffff-ffff-ffffffffffff",
            "03000200-0400-0500-0006-000700080009",
            "12345678-1234-5678-90ab-cddeefaabbcc");

    private static final Pattern UUID_FORM = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern MAC_FORM = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    public MachineId machineId() {
        return MachineId.ofFingerprint(value);
    }

    /**
     * Derives the fingerprint of announced facts.
     *
     * @throws IllegalArgumentException when the facts carry neither a real SMBIOS UUID nor a usable MAC
     */
    public static MachineFingerprint of(MachineInventory facts) {
        String uuid = facts.identity() == null ? null : facts.identity().smbiosUuid();
        if (isRealSmbiosUuid(uuid)) {
            return new MachineFingerprint("smbios:" + normalize(uuid), Source.SMBIOS_UUID);
        }
        Optional<String> permanent = lowest(facts.nics().stream().map(MachineInventory.Nic::permanentMac).toList());
        if (permanent.isPresent()) {
            return new MachineFingerprint("mac:" + permanent.get(), Source.PERMANENT_MAC);
        }
        // Some drivers do not expose a permanent address; the current MAC is the best we have then.
        return lowest(facts.nics().stream().map(MachineInventory.Nic::mac).toList())
                .map(mac -> new MachineFingerprint("mac:" + mac, Source.MAC))
                .orElseThrow(() -> new IllegalArgumentException(
                        "no real SMBIOS UUID and no NIC with a usable MAC address: the machine cannot be identified"));
    }

    public static boolean isRealSmbiosUuid(String uuid) {
        if (uuid == null) {
            return false;
        }
        String u = normalize(uuid);
        return UUID_FORM.matcher(u).matches() && !PLACEHOLDER_UUIDS.contains(u);
    }

    /** A MAC that can identify hardware: well-formed, unicast, not all-zero. */
    public static boolean isUsableMac(String mac) {
        if (mac == null) {
            return false;
        }
        String m = normalizeMac(mac);
        if (!MAC_FORM.matcher(m).matches() || m.equals("00:00:00:00:00:00")) {
            return false;
        }
        int firstOctet = Integer.parseInt(m.substring(0, 2), 16);
        return (firstOctet & 0x01) == 0; // multicast/broadcast bit clear
    }

    private static Optional<String> lowest(List<String> macs) {
        return macs.stream().filter(MachineFingerprint::isUsableMac).map(MachineFingerprint::normalizeMac)
                .min(Comparator.naturalOrder());
    }

    private static String normalizeMac(String mac) {
        return normalize(mac).replace('-', ':');
    }

    private static String normalize(String s) {
        return s.trim().toLowerCase(Locale.ROOT);
    }
}
