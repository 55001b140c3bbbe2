package com.ultracloud.deployer.machine.domain.credentials;

import java.util.Arrays;
import java.util.Objects;

/**
 * The cluster CA as stored: its certificate (public, PEM) and its private key sealed by a
 * {@link KeySealer} (PKCS#8 DER inside, bound to the certificate's fingerprint as associated data, so a
 * sealed key cannot be paired with another certificate). Produced by {@link ClusterCa#seal}, read back
 * by {@link ClusterCa#load}.
 */
public record StoredClusterCa(String certificatePem, byte[] sealedPrivateKey) {

    public StoredClusterCa {
        Objects.requireNonNull(certificatePem, "certificatePem");
        sealedPrivateKey = Objects.requireNonNull(sealedPrivateKey, "sealedPrivateKey").clone();
    }

    /** A copy: the stored bytes cannot be changed through it. */
    @Override
    public byte[] sealedPrivateKey() {
        return sealedPrivateKey.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredClusterCa that && certificatePem.equals(that.certificatePem)
                && Arrays.equals(sealedPrivateKey, that.sealedPrivateKey);
    }

    @Override
    public int hashCode() {
        return 31 * certificatePem.hashCode() + Arrays.hashCode(sealedPrivateKey);
    }

    @Override
    public String toString() {
        return "StoredClusterCa[certificatePem=(" + certificatePem.length() + " chars), sealedPrivateKey=(sealed, "
                + sealedPrivateKey.length + " bytes)]";
    }
}
