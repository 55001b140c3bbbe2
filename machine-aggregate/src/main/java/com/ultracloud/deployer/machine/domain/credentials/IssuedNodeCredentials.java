package com.ultracloud.deployer.machine.domain.credentials;

import com.ultracloud.deployer.machine.api.IssuedCredentials;

import java.util.Objects;

/**
 * Everything issued to one node for one install: TLS credential, SSH host key and install token.
 * Holds private material: hand it to the plan response and to {@link #seal}, never to an event, a
 * projection or a log; {@link #publicFacts()} is what may be recorded. {@link #toString()} redacts.
 */
public record IssuedNodeCredentials(NodeIdentity node, TlsCredential tls, SshHostKey sshHostKey, InstallToken installToken) {

    public IssuedNodeCredentials {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(sshHostKey, "sshHostKey");
        Objects.requireNonNull(installToken, "installToken");
    }

    /** The facts events carry (DESIGN §5): fingerprints, serial, token hash and expiry — no private material. */
    public IssuedCredentials publicFacts() {
        return new IssuedCredentials(sshHostKey.fingerprint(), tls.serial(), tls.fingerprint(), installToken.hash(),
                installToken.expiresAt());
    }

    /** The private keys sealed under {@code sealer}, each bound to this machine and to its role. */
    public SealedNodeSecrets seal(KeySealer sealer) {
        return SealedNodeSecrets.seal(node.machineId(), tls.privateKeyPem(), sshHostKey.privateKeyOpenssh(), sealer);
    }

    @Override
    public String toString() {
        return "IssuedNodeCredentials[node=" + node + ", tls=" + tls + ", sshHostKey=" + sshHostKey + ", installToken="
                + installToken + "]";
    }
}
