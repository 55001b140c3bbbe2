package com.ultracloud.deployer.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * The answer to {@code GET /api/v1/bootstrap/plan} (DESIGN §8.1): the node's assignment, its
 * bootstrap secrets and the install plan. Delivered only to the holder of the machine's install token;
 * never contains runtime service specs.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BootstrapPlan(Assignment assignment, Secrets secrets, InstallPlan plan) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Assignment(String nodeId, String hostname, String nodeClass, String pool, Map<String, String> labels,
                             String failureDomain) {
        public Assignment {
            labels = labels == null ? Map.of() : Map.copyOf(labels);
        }
    }

    /**
     * On the wire only {@code sealed} is present: the other fields, as JSON, encrypted to the installer's key
     * ({@link com.ultracloud.deployer.protocol.seal.PlanSecretsSeal}); opened, {@code sealed} is absent.
     * {@code progressToken}: what progress reports must carry ({@link InstallProgress#PROGRESS_TOKEN_HEADER}),
     * so only the installer that could open the secrets can report on the plan.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Secrets(SshHostKey sshHostKey, Tls tls, String progressToken, Sealed sealed) {
        public Secrets(SshHostKey sshHostKey, Tls tls, String progressToken) {
            this(sshHostKey, tls, progressToken, null);
        }

        /** The secrets as they cross the wire: sealed only. */
        public static Secrets sealedAs(Sealed sealed) {
            return new Secrets(null, null, null, sealed);
        }

        @Override
        public String toString() {
            return "Secrets[(redacted)" + (sealed == null ? "" : ", " + sealed) + "]";
        }
    }

    /**
     * HPKE (RFC 9180) base mode to the installer's X25519 key: the suite by name, the SHA-256 fingerprint of
     * the recipient key, the encapsulated key and the ciphertext (both standard base64). See docs/bootstrap.md.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Sealed(String kem, String kdf, String aead, String recipient, String enc, String ciphertext) {
        @Override
        public String toString() {
            return "Sealed[" + kem + ", " + kdf + ", " + aead + ", recipient=" + recipient + "]";
        }
    }

    /** {@code privateKeyOpenssh}: an {@code OPENSSH PRIVATE KEY} PEM block; {@code publicKey}: {@code ssh-ed25519 AAAA… host}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SshHostKey(String privateKeyOpenssh, String publicKey) {
        @Override
        public String toString() {
            return "SshHostKey[publicKey=" + publicKey + ", privateKeyOpenssh=(redacted)]";
        }
    }

    /** PEM texts: the node certificate, its PKCS#8 private key and the cluster CA certificate. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Tls(String certificatePem, String privateKeyPem, String caCertificatePem) {
        @Override
        public String toString() {
            return "Tls[privateKeyPem=(redacted)]";
        }
    }
}
