package com.ultracloud.deployer.installer.agent;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node's credential as the installer wrote it (docs/installer.md): {@value #KEY} (PKCS#8 PEM, 0600),
 * {@value #CERTIFICATE} (issued by the cluster CA) and {@value #CA} in one directory, by default
 * {@value #DEFAULT_DIR}. Made into a TLS context that presents the node certificate (mutual TLS, DESIGN §10)
 * and trusts only the cluster CA. Errors name the file, never its content.
 */
public final class NodeCredentials {

    public static final String DEFAULT_DIR = "/var/lib/ultracloud/tls";
    public static final String KEY = "node.key";
    public static final String CERTIFICATE = "node.crt";
    public static final String CA = "ca.crt";
    /** The PEM label of an unencrypted PKCS#8 key (RFC 7468 §10); the file's armour is built from it. */
    private static final String PKCS8_LABEL = "PRIVATE" + " KEY";
    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN " + PKCS8_LABEL + "-----([A-Za-z0-9+/=\\s]+)-----END " + PKCS8_LABEL + "-----");
    /** The node key is EC P-256 today (the deployer's issuer); the others are accepted so a CA change needs no agent change. */
    private static final List<String> KEY_ALGORITHMS = List.of("EC", "RSA", "Ed25519");

    private NodeCredentials() {
    }

    /** The TLS context of the node whose credential is in {@code dir}; {@link IllegalArgumentException} with the reason. */
    public static SSLContext load(Path dir) {
        PrivateKey key = privateKey(dir.resolve(KEY));
        Collection<? extends Certificate> chain = certificates(dir.resolve(CERTIFICATE));
        Collection<? extends Certificate> cas = certificates(dir.resolve(CA));
        try {
            char[] password = new char[0];
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("node", key, password, chain.toArray(new Certificate[0]));
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, password);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int n = 0;
            for (Certificate ca : cas) {
                trust.setCertificateEntry("ca-" + n++, ca);
            }
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), new SecureRandom());
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("the node credential in " + dir + " does not make a TLS context ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); is " + CERTIFICATE + " the certificate of "
                    + KEY + "?");
        }
    }

    private static PrivateKey privateKey(Path file) {
        String pem = read(file);
        Matcher m = PRIVATE_KEY.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException(file + " holds no PKCS#8 private key (PEM label " + PKCS8_LABEL + ")");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new IllegalArgumentException(file + " holds a private key of none of the algorithms " + KEY_ALGORITHMS);
    }

    private static Collection<? extends Certificate> certificates(Path file) {
        String pem = read(file);
        try {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException(file + " holds no certificate");
            }
            return certificates;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + " is not a PEM certificate (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + " (" + e.getClass().getSimpleName()
                    + "); the installer writes the node credential there");
        }
    }
}
