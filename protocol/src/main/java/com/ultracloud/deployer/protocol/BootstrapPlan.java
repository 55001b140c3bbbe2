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

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Secrets(SshHostKey sshHostKey, Tls tls) {
        @Override
        public String toString() {
            return "Secrets[(redacted)]";
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
