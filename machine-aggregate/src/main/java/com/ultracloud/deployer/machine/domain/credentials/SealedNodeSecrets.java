package com.ultracloud.deployer.machine.domain.credentials;

import com.ultracloud.deployer.machine.api.MachineId;

import java.util.Arrays;
import java.util.Objects;

/**
 * A node's private keys at rest, sealed by a {@link KeySealer}. Each blob's associated data is
 * {@code machine:<machineId>:<role>}, so a blob opens neither for another machine nor as the other key.
 * Shredding = deleting these bytes (DESIGN §5, on reprovision and retire).
 */
public record SealedNodeSecrets(MachineId machineId, byte[] sealedTlsPrivateKey, byte[] sealedSshPrivateKey) {

    static final String TLS_ROLE = "tls-private-key";
    static final String SSH_ROLE = "ssh-host-private-key";

    public SealedNodeSecrets {
        Objects.requireNonNull(machineId, "machineId");
        sealedTlsPrivateKey = Objects.requireNonNull(sealedTlsPrivateKey, "sealedTlsPrivateKey").clone();
        sealedSshPrivateKey = Objects.requireNonNull(sealedSshPrivateKey, "sealedSshPrivateKey").clone();
    }

    static SealedNodeSecrets seal(MachineId machineId, String tlsPrivateKeyPem, String sshPrivateKeyOpenssh, KeySealer sealer) {
        return new SealedNodeSecrets(machineId, sealer.sealString(tlsPrivateKeyPem, associatedData(machineId, TLS_ROLE)),
                sealer.sealString(sshPrivateKeyOpenssh, associatedData(machineId, SSH_ROLE)));
    }

    /** The TLS private key (PKCS#8 PEM). @throws SealingException on a wrong KEK, another machine's blob, or tampering */
    public String unsealTlsPrivateKeyPem(KeySealer sealer) {
        return sealer.unsealString(sealedTlsPrivateKey, associatedData(machineId, TLS_ROLE));
    }

    /** The SSH host private key (OpenSSH format). @throws SealingException as {@link #unsealTlsPrivateKeyPem} */
    public String unsealSshPrivateKeyOpenssh(KeySealer sealer) {
        return sealer.unsealString(sealedSshPrivateKey, associatedData(machineId, SSH_ROLE));
    }

    @Override
    public byte[] sealedTlsPrivateKey() {
        return sealedTlsPrivateKey.clone();
    }

    @Override
    public byte[] sealedSshPrivateKey() {
        return sealedSshPrivateKey.clone();
    }

    static String associatedData(MachineId machineId, String role) {
        return "machine:" + machineId + ":" + role;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SealedNodeSecrets that && machineId.equals(that.machineId)
                && Arrays.equals(sealedTlsPrivateKey, that.sealedTlsPrivateKey)
                && Arrays.equals(sealedSshPrivateKey, that.sealedSshPrivateKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(machineId, Arrays.hashCode(sealedTlsPrivateKey), Arrays.hashCode(sealedSshPrivateKey));
    }

    @Override
    public String toString() {
        return "SealedNodeSecrets[machineId=" + machineId + ", sealedTlsPrivateKey=(" + sealedTlsPrivateKey.length
                + " bytes), sealedSshPrivateKey=(" + sealedSshPrivateKey.length + " bytes)]";
    }
}
