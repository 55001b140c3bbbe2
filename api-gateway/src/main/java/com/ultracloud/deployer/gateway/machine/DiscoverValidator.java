package com.ultracloud.deployer.gateway.machine;

import com.ultracloud.deployer.gateway.problem.FieldError;
import com.ultracloud.deployer.gateway.problem.InvalidRequestException;
import com.ultracloud.deployer.machine.domain.MachineFingerprint;
import com.ultracloud.deployer.protocol.MachineInventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a discover request before it becomes an event: every problem is listed with its path. */
final class DiscoverValidator {

    private static final Pattern MAC = Pattern.compile("(?i)[0-9a-f]{2}([:-][0-9a-f]{2}){5}");
    private static final Pattern CIDR = Pattern.compile("[0-9a-fA-F:.]+(/\\d{1,3})?");
    private static final Set<String> BOOT_MODES = Set.of("uefi", "bios");
    private static final int MAX_NICS = 64;
    private static final int MAX_DISKS = 256;

    private DiscoverValidator() {
    }

    static MachineFingerprint validate(MachineInventory facts) {
        if (facts == null) {
            throw InvalidRequestException.of("$", "a JSON object with the machine's facts is required");
        }
        List<FieldError> errors = new ArrayList<>();
        if (facts.nics().size() > MAX_NICS) {
            errors.add(new FieldError("nics", "at most " + MAX_NICS + " NICs"));
        }
        if (facts.disks().size() > MAX_DISKS) {
            errors.add(new FieldError("disks", "at most " + MAX_DISKS + " disks"));
        }
        for (int i = 0; i < facts.nics().size(); i++) {
            MachineInventory.Nic nic = facts.nics().get(i);
            if (nic == null) {
                errors.add(new FieldError("nics[" + i + "]", "must be an object"));
                continue;
            }
            if (nic.mac() != null && !MAC.matcher(nic.mac()).matches()) {
                errors.add(new FieldError("nics[" + i + "].mac", "not a MAC address: '" + nic.mac() + "'"));
            }
            if (nic.permanentMac() != null && !MAC.matcher(nic.permanentMac()).matches()) {
                errors.add(new FieldError("nics[" + i + "].permanentMac", "not a MAC address: '" + nic.permanentMac() + "'"));
            }
            if (nic.speedMbps() != null && nic.speedMbps() < 0 && nic.speedMbps() != -1) {
                errors.add(new FieldError("nics[" + i + "].speedMbps", "must be 0 or more (or -1 for unknown)"));
            }
        }
        for (int i = 0; i < facts.disks().size(); i++) {
            MachineInventory.Disk disk = facts.disks().get(i);
            if (disk == null) {
                errors.add(new FieldError("disks[" + i + "]", "must be an object"));
                continue;
            }
            if (disk.name() == null || disk.name().isBlank()) {
                errors.add(new FieldError("disks[" + i + "].name", "is required"));
            }
            if (disk.sizeBytes() != null && disk.sizeBytes() < 0) {
                errors.add(new FieldError("disks[" + i + "].sizeBytes", "must be 0 or more"));
            }
        }
        if (facts.memoryBytes() != null && facts.memoryBytes() < 0) {
            errors.add(new FieldError("memoryBytes", "must be 0 or more"));
        }
        if (facts.cpu() != null) {
            checkCount(errors, "cpu.sockets", facts.cpu().sockets());
            checkCount(errors, "cpu.cores", facts.cpu().cores());
            checkCount(errors, "cpu.threads", facts.cpu().threads());
        }
        if (facts.boot() != null && facts.boot().mode() != null && !BOOT_MODES.contains(facts.boot().mode())) {
            errors.add(new FieldError("boot.mode", "must be one of " + BOOT_MODES));
        }
        if (facts.network() != null) {
            List<String> addresses = facts.network().addresses();
            for (int i = 0; i < addresses.size(); i++) {
                if (addresses.get(i) == null || !CIDR.matcher(addresses.get(i)).matches()) {
                    errors.add(new FieldError("network.addresses[" + i + "]", "not an address such as 10.0.0.5/24"));
                }
            }
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

    private static void checkCount(List<FieldError> errors, String field, Integer value) {
        if (value != null && value < 0) {
            errors.add(new FieldError(field, "must be 0 or more"));
        }
    }
}
