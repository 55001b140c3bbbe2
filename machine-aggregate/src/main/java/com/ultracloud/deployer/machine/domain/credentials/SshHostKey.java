package com.ultracloud.deployer.machine.domain.credentials;

import java.util.Objects;

/**
 * A node's SSH Ed25519 host key, as the plan's {@code secrets.sshHostKey} carries it (DESIGN §8.1).
 * {@link #toString()} redacts the private key.
 *
 * @param privateKeyOpenssh the private key in OpenSSH's format (an {@code OPENSSH PRIVATE KEY} PEM block,
 *                          unencrypted): what {@code /etc/ssh/ssh_host_ed25519_key} holds
 * @param publicKey         the {@code authorized_keys}/{@code known_hosts} line: {@code ssh-ed25519 AAAA... <hostname>}
 * @param fingerprint       OpenSSH's form: {@code SHA256:} + base64 (no padding) of SHA-256 of the public key blob
 */
public record SshHostKey(String privateKeyOpenssh, String publicKey, String fingerprint) {

    public SshHostKey {
        Objects.requireNonNull(privateKeyOpenssh, "privateKeyOpenssh");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }

    @Override
    public String toString() {
        return "SshHostKey[publicKey=" + publicKey + ", fingerprint=" + fingerprint + ", privateKeyOpenssh=(redacted)]";
    }
}
