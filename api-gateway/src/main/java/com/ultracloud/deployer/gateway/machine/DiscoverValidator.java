package com.ultracloud.deployer.gateway.machine;

import com.ultracloud.deployer.gateway.problem.FieldError;
import com.ultracloud.deployer.gateway.problem.InvalidRequestException;
import com.ultracloud.deployer.machine.domain.MachineFingerprint;
import com.ultracloud.deployer.protocol.MachineInventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a discover request before it becomes an event: every problem is listed with its path.
 * The facts are stored whenever they change, so they are bounded — every string, every list, and
 * (by {@code deployer.api.max-discover-bytes}) the whole body — and a discover loop cannot grow the
 * event store by more than one bounded document per call. The limits are in docs/api.md.
 */
final class DiscoverValidator {

    private static final Pattern MAC = Pattern.compile("(?i)[0-9a-f]{2}([:-][0-9a-f]{2}){5}");
    private static final Pattern CIDR = Pattern.compile("[0-9a-fA-F:.]+(/\\d{1,3})?");
    private static final Set<String> BOOT_MODES = Set.of("uefi", "bios");
    static final int MAX_NICS = 64;
    static final int MAX_DISKS = 256;
    static final int MAX_BY_ID = 32;
    static final int MAX_ADDRESSES = 256;
    static final int MAX_DNS = 32;
    /** Identifiers and names (serials, drivers, device names, versions). */
    static final int SHORT_TEXT = 128;
    /** Descriptions and paths (vendor, product, model, by-id and by-path links). */
    static final int LONG_TEXT = 256;

    private DiscoverValidator() {
    }

    static MachineFingerprint validate(MachineInventory facts) {
        if (facts == null) {
            throw InvalidRequestException.of("$", "a JSON object with the machine's facts is required");
        }
        List<FieldError> errors = new ArrayList<>();
        MachineInventory.SystemIdentity id = facts.identity();
        if (id != null) {
            text(errors, "identity.smbiosUuid", id.smbiosUuid(), SHORT_TEXT);
            text(errors, "identity.systemSerial", id.systemSerial(), SHORT_TEXT);
            text(errors, "identity.boardSerial", id.boardSerial(), SHORT_TEXT);
            text(errors, "identity.vendor", id.vendor(), LONG_TEXT);
            text(errors, "identity.product", id.product(), LONG_TEXT);
        }
        if (size(errors, "nics", facts.nics(), MAX_NICS)) {
            for (int i = 0; i < facts.nics().size(); i++) {
                nic(errors, "nics[" + i + "]", facts.nics().get(i));
            }
        }
        if (size(errors, "disks", facts.disks(), MAX_DISKS)) {
            for (int i = 0; i < facts.disks().size(); i++) {
                disk(errors, "disks[" + i + "]", facts.disks().get(i));
            }
        }
        if (facts.memoryBytes() != null && facts.memoryBytes() < 0) {
            errors.add(new FieldError("memoryBytes", "must be 0 or more"));
        }
        if (facts.cpu() != null) {
            text(errors, "cpu.model", facts.cpu().model(), LONG_TEXT);
            text(errors, "cpu.arch", facts.cpu().arch(), SHORT_TEXT);
            checkCount(errors, "cpu.sockets", facts.cpu().sockets());
            checkCount(errors, "cpu.cores", facts.cpu().cores());
            checkCount(errors, "cpu.threads", facts.cpu().threads());
        }
        if (facts.boot() != null && facts.boot().mode() != null && !BOOT_MODES.contains(facts.boot().mode())) {
            errors.add(new FieldError("boot.mode", "must be one of " + BOOT_MODES));
        }
        if (facts.network() != null) {
            List<String> addresses = facts.network().addresses();
            if (size(errors, "network.addresses", addresses, MAX_ADDRESSES)) {
                for (int i = 0; i < addresses.size(); i++) {
                    if (addresses.get(i) == null || addresses.get(i).length() > SHORT_TEXT
                            || !CIDR.matcher(addresses.get(i)).matches()) {
                        errors.add(new FieldError("network.addresses[" + i + "]", "not an address such as 10.0.0.5/24"));
                    }
                }
            }
            text(errors, "network.gateway", facts.network().gateway(), SHORT_TEXT);
            texts(errors, "network.dns", facts.network().dns(), MAX_DNS, LONG_TEXT);
        }
        if (facts.installer() != null) {
            text(errors, "installer.version", facts.installer().version(), SHORT_TEXT);
        }
        MachineFingerprint fingerprint = null;
        if (errors.isEmpty()) {
            try {
                fingerprint = MachineFingerprint.of(facts);
            } catch (IllegalArgumentException e) {
                // no identity, no machine: a body in another tool's shape (its fields all unknown here)
                // must not become a phantom machine, so say which fields would have identified one
                throw new InvalidRequestException("invalid discover request: the machine cannot be identified: it needs "
                        + "a real identity.smbiosUuid or a NIC with a usable permanentMac (DESIGN §8.1 field names)",
                        identityErrors(facts));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("invalid discover request: " + errors.size() + " error(s)", errors);
        }
        return fingerprint;
    }

    /** The missing or unusable identity fields, named. */
    private static List<FieldError> identityErrors(MachineInventory facts) {
        String uuid = facts.identity() == null ? null : facts.identity().smbiosUuid();
        String uuidProblem = uuid == null || uuid.isBlank() ? "missing" : "'" + uuid + "' is malformed or a firmware placeholder";
        String nicProblem = facts.nics().isEmpty() ? "missing: no NICs reported"
                : "missing: none of the " + facts.nics().size() + " NICs reports a usable (unicast, non-zero) permanentMac or mac";
        return List.of(new FieldError("identity.smbiosUuid", uuidProblem + " (a real SMBIOS system UUID identifies the machine)"),
                new FieldError("nics[].permanentMac", nicProblem + " (without a real SMBIOS UUID, the lowest permanent MAC "
                        + "of a physical NIC identifies the machine)"));
    }

    private static void nic(List<FieldError> errors, String path, MachineInventory.Nic nic) {
        if (nic == null) {
            errors.add(new FieldError(path, "must be an object"));
            return;
        }
        text(errors, path + ".name", nic.name(), SHORT_TEXT);
        if (nic.mac() != null && !MAC.matcher(nic.mac()).matches()) {
            errors.add(new FieldError(path + ".mac", "not a MAC address: '" + abbreviate(nic.mac()) + "'"));
        }
        if (nic.permanentMac() != null && !MAC.matcher(nic.permanentMac()).matches()) {
            errors.add(new FieldError(path + ".permanentMac", "not a MAC address: '" + abbreviate(nic.permanentMac()) + "'"));
        }
        text(errors, path + ".driver", nic.driver(), SHORT_TEXT);
        if (nic.speedMbps() != null && nic.speedMbps() < 0 && nic.speedMbps() != -1) {
            errors.add(new FieldError(path + ".speedMbps", "must be 0 or more (or -1 for unknown)"));
        }
        text(errors, path + ".pciAddress", nic.pciAddress(), SHORT_TEXT);
    }

    private static void disk(List<FieldError> errors, String path, MachineInventory.Disk disk) {
        if (disk == null) {
            errors.add(new FieldError(path, "must be an object"));
            return;
        }
        if (disk.name() == null || disk.name().isBlank()) {
            errors.add(new FieldError(path + ".name", "is required"));
        }
        text(errors, path + ".name", disk.name(), SHORT_TEXT);
        texts(errors, path + ".byId", disk.byId(), MAX_BY_ID, LONG_TEXT);
        text(errors, path + ".byPath", disk.byPath(), LONG_TEXT);
        if (disk.sizeBytes() != null && disk.sizeBytes() < 0) {
            errors.add(new FieldError(path + ".sizeBytes", "must be 0 or more"));
        }
        text(errors, path + ".model", disk.model(), LONG_TEXT);
        text(errors, path + ".vendor", disk.vendor(), LONG_TEXT);
        text(errors, path + ".serial", disk.serial(), SHORT_TEXT);
        text(errors, path + ".wwn", disk.wwn(), SHORT_TEXT);
        text(errors, path + ".wwnWithExtension", disk.wwnWithExtension(), SHORT_TEXT);
        text(errors, path + ".wwnVendorExtension", disk.wwnVendorExtension(), SHORT_TEXT);
        text(errors, path + ".hctl", disk.hctl(), SHORT_TEXT);
        text(errors, path + ".transport", disk.transport(), SHORT_TEXT);
    }

    private static void text(List<FieldError> errors, String path, String value, int max) {
        if (value != null && value.length() > max) {
            errors.add(new FieldError(path, "at most " + max + " characters (got " + value.length() + ")"));
        }
    }

    /** A list of strings: at most {@code maxItems}, none null, each at most {@code maxLength} long. */
    private static void texts(List<FieldError> errors, String path, List<String> values, int maxItems, int maxLength) {
        if (!size(errors, path, values, maxItems)) {
            return;
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                errors.add(new FieldError(path + "[" + i + "]", "must be a string"));
            } else {
                text(errors, path + "[" + i + "]", values.get(i), maxLength);
            }
        }
    }

    /** Whether the list is within bounds (its elements are worth checking one by one). */
    private static boolean size(List<FieldError> errors, String path, List<?> list, int max) {
        if (list.size() > max) {
            errors.add(new FieldError(path, "at most " + max + " entries (got " + list.size() + ")"));
            return false;
        }
        return true;
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }

    private static void checkCount(List<FieldError> errors, String field, Integer value) {
        if (value != null && value < 0) {
            errors.add(new FieldError(field, "must be 0 or more"));
        }
    }
}
