package com.ultracloud.deployer.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the installer announces at boot: identity, hardware and network facts
 * ({@code POST /api/v1/bootstrap/discover}). Sizes are in bytes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record MachineInventory(
        SystemIdentity identity,
        List<Nic> nics,
        List<Disk> disks,
        Cpu cpu,
        Long memoryBytes,
        Boot boot,
        NetworkFacts network,
        InstallerInfo installer) {

    public MachineInventory {
        nics = copy(nics);
        disks = copy(disks);
    }

    /**
     * An unmodifiable copy that keeps null elements (List.copyOf would throw on them), so that the
     * deployer can name the element at fault ({@code nics[2]}) instead of refusing the whole body.
     */
    static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
    }

    /** These facts with {@code installer.publicKey} (if any) replaced. */
    public MachineInventory withInstallerKey(String publicKey) {
        return new MachineInventory(identity, nics, disks, cpu, memoryBytes, boot, network,
                new InstallerInfo(installer == null ? null : installer.version(), publicKey));
    }

    /**
     * The facts as the deployer records them: without the installer's public key, which belongs to one
     * boot of the installer, not to the machine (a new key must not read as changed hardware).
     */
    public MachineInventory withoutInstallerKey() {
        return installer == null || installer.publicKey() == null ? this : withInstallerKey(null);
    }

    /** DMI identity; every field may be null (VMs without DMI). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SystemIdentity(String smbiosUuid, String systemSerial, String boardSerial,
                                 String vendor, String product) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Nic(String name, String mac, String permanentMac, String driver, Integer speedMbps,
                      Boolean link, String pciAddress) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Disk(String name, List<String> byId, String byPath, Long sizeBytes, String model,
                       String vendor, String serial, String wwn, String wwnWithExtension,
                       String wwnVendorExtension, String hctl, Boolean rotational, Boolean removable,
                       String transport) {
        public Disk {
            byId = copy(byId);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Cpu(String model, String arch, Integer sockets, Integer cores, Integer threads) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Boot(String mode, Boolean secureBoot) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NetworkFacts(List<String> addresses, String gateway, List<String> dns) {
        public NetworkFacts {
            addresses = copy(addresses);
            dns = copy(dns);
        }
    }

    /**
     * The installer that sends the facts: its version and {@code publicKey}, the X25519 public key (32 bytes,
     * standard base64) it generated in RAM at boot; the plan's secrets are sealed to it (docs/bootstrap.md).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record InstallerInfo(String version, String publicKey) {
        public InstallerInfo(String version) {
            this(version, null);
        }
    }
}
