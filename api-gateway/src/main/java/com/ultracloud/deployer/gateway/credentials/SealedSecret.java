package com.ultracloud.deployer.gateway.credentials;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.domain.credentials.SealedNodeSecrets;

import java.time.Instant;

/**
 * One row of {@code sealed_secret}: a machine's current bootstrap secrets, sealed, with the hash of
 * its install token. {@code planJson} is the {@link com.ultracloud.deployer.protocol.BootstrapPlan}
 * without secrets (assignment and plan). {@code installerPublicKey} is the raw X25519 key of the installer the
 * current token was handed to (null until a token is handed out): the plan's secrets are sealed to it.
 * {@code sealedProgressToken}: the plan's progress token, sealed under the KEK. {@link #toString()} shows no
 * key material.
 */
public record SealedSecret(MachineId machineId, String planId, SealedNodeSecrets sealed, String certificatePem,
                           String caCertificatePem, String sshPublicKey, String tokenHash, Instant tokenExpiresAt,
                           boolean revoked, String planJson, byte[] installerPublicKey, byte[] sealedProgressToken) {

    @Override
    public String toString() {
        return "SealedSecret[machineId=" + machineId + ", planId=" + planId + ", tokenHash=" + tokenHash
                + ", tokenExpiresAt=" + tokenExpiresAt + ", revoked=" + revoked + ", sealed=(redacted)]";
    }
}
