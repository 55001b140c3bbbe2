package com.ultracloud.deployer.gateway.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.ultracloud.deployer.gateway.TestInstallers;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks on delivered secrets (they work) and on stored data (no secret in it). */
public final class SecretChecks {

    private SecretChecks() {
    }

    /** The TLS certificate verifies against the CA with the JDK's PKIX validator and has exactly these SANs. */
    public static void certificateVerifies(JsonNode tls, List<String> dnsNames, List<String> addresses) throws Exception {
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        X509Certificate leaf = (X509Certificate) x509.generateCertificate(new ByteArrayInputStream(
                tls.get("certificatePem").asText().getBytes(StandardCharsets.US_ASCII)));
        X509Certificate ca = (X509Certificate) x509.generateCertificate(new ByteArrayInputStream(
                tls.get("caCertificatePem").asText().getBytes(StandardCharsets.US_ASCII)));
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(x509.generateCertPath(List.of(leaf)), parameters);
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        for (List<?> san : leaf.getSubjectAlternativeNames()) {
            int type = (Integer) san.get(0);
            if (type == 2) {
                dns.add((String) san.get(1));
            } else if (type == 7) {
                ips.add(InetAddress.getByName((String) san.get(1)).getHostAddress());
            }
        }
        assertThat(dns).containsExactlyElementsOf(dnsNames);
        assertThat(ips).containsExactlyElementsOf(addresses);
        assertThat(tls.get("privateKeyPem").asText()).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    /** The SSH host key parses as an OpenSSH Ed25519 private key whose public half is the one delivered. */
    public static void sshKeyMatches(JsonNode ssh) throws Exception {
        PemObject pem;
        try (PemReader reader = new PemReader(new StringReader(ssh.get("privateKeyOpenssh").asText()))) {
            pem = reader.readPemObject();
        }
        assertThat(pem.getType()).isEqualTo("OPENSSH PRIVATE KEY");
        AsymmetricKeyParameter key = OpenSSHPrivateKeyUtil.parsePrivateKeyBlob(pem.getContent());
        assertThat(key).isInstanceOf(Ed25519PrivateKeyParameters.class);
        String[] publicLine = ssh.get("publicKey").asText().split(" ");
        assertThat(publicLine[0]).isEqualTo("ssh-ed25519");
        byte[] derived = OpenSSHPublicKeyUtil.encodePublicKey(((Ed25519PrivateKeyParameters) key).generatePublicKey());
        assertThat(Base64.getEncoder().encodeToString(derived)).isEqualTo(publicLine[1]);
    }

    /**
     * Every byte of these tables, as text (binary columns decoded as UTF-8 and as Latin-1), must not contain
     * any of {@code needles}. Answers how many cells were read, so a test can see it read something.
     */
    public static long assertNoneContain(Connection c, List<String> tables, List<String> needles) throws Exception {
        long cells = 0;
        for (String table : tables) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select * from " + table)) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= columns; i++) {
                        byte[] bytes = bytes(rs.getObject(i));
                        if (bytes == null) {
                            continue;
                        }
                        cells++;
                        String utf8 = new String(bytes, StandardCharsets.UTF_8);
                        String latin1 = new String(bytes, StandardCharsets.ISO_8859_1);
                        for (String needle : needles) {
                            assertThat(utf8).as(table + "." + rs.getMetaData().getColumnName(i)).doesNotContain(needle);
                            assertThat(latin1).as(table + "." + rs.getMetaData().getColumnName(i)).doesNotContain(needle);
                        }
                    }
                }
            }
        }
        return cells;
    }

    private static byte[] bytes(Object value) throws java.sql.SQLException {
        if (value == null) {
            return null;
        } else if (value instanceof byte[] b) {
            return b;
        } else if (value instanceof java.sql.Blob blob) {
            return blob.getBytes(1, (int) blob.length());
        } else if (value instanceof java.sql.Clob clob) {
            return clob.getSubString(1, (int) clob.length()).getBytes(StandardCharsets.UTF_8);
        }
        return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * What must never be stored: PEM private-key markers, the install token, the plan's progress token, the
     * cluster join secret, and the base64 bodies of the delivered keys.
     */
    public static List<String> secretsOf(JsonNode planResponse, String token) {
        List<String> needles = new ArrayList<>(List.of("PRIVATE KEY", token, TestInstallers.JOIN_SECRET));
        JsonNode secrets = planResponse.get("secrets");
        if (secrets.hasNonNull("progressToken")) {
            needles.add(secrets.get("progressToken").asText());
        }
        needles.add(body(secrets.get("tls").get("privateKeyPem").asText()));
        needles.add(body(secrets.get("sshHostKey").get("privateKeyOpenssh").asText()));
        return needles;
    }

    /** The first 40 characters of a PEM's base64 body: enough to recognise it anywhere. */
    private static String body(String pem) {
        String[] lines = pem.split("\n");
        return lines[1].substring(0, Math.min(40, lines[1].length()));
    }
}
