package com.ultracloud.deployer.machine.domain.credentials;

import java.time.Instant;
import java.util.Objects;

/**
 * A node's TLS credential, as the plan's {@code secrets.tls} carries it (DESIGN §8.1): certificate,
 * PKCS#8 private key and CA certificate in PEM, plus the public facts of the certificate.
 * {@link #toString()} redacts the private key.
 *
 * @param serial      the certificate serial, lowercase hex
 * @param fingerprint {@code sha256:} + lowercase hex of the certificate's DER
 */
public record TlsCredential(String certificatePem, String privateKeyPem, String caCertificatePem, String serial,
                            String fingerprint, Instant notBefore, Instant notAfter) {

    public TlsCredential {
        Objects.requireNonNull(certificatePem, "certificatePem");
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        Objects.requireNonNull(caCertificatePem, "caCertificatePem");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
    }

    @Override
    public String toString() {
        return "TlsCredential[serial=" + serial + ", fingerprint=" + fingerprint + ", notBefore=" + notBefore
                + ", notAfter=" + notAfter + ", privateKeyPem=(redacted)]";
    }
}
