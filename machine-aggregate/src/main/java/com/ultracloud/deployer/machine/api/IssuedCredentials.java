package com.ultracloud.deployer.machine.api;

import java.time.Instant;

/**
 * Public facts about credentials issued to a machine: fingerprints, serials and a token hash.
 * Never the private material itself (DESIGN §5).
 */
public record IssuedCredentials(String sshHostKeyFingerprint, String tlsCertificateSerial,
                                String tlsCertificateFingerprint, String installTokenHash,
                                Instant installTokenExpiresAt) {
}
