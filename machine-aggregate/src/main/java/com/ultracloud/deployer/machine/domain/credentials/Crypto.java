package com.ultracloud.deployer.machine.domain.credentials;

import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.BufferingContentSigner;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.encoders.Hex;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;

/**
 * The few crypto choices of this package in one place: one Bouncy Castle provider instance (passed
 * explicitly, never registered globally), P-256 keys, SHA256withECDSA, PEM in and out.
 */
final class Crypto {

    /** Not added to {@link java.security.Security}: a global side effect is not a domain service's to make. */
    static final Provider BC = new BouncyCastleProvider();
    static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    static final String CURVE = "secp256r1";

    private static final JcaX509CertificateConverter CONVERTER = new JcaX509CertificateConverter().setProvider(BC);

    private Crypto() {
    }

    static KeyPair newP256KeyPair(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BC);
            generator.initialize(new ECGenParameterSpec(CURVE), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a P-256 key", e);
        }
    }

    /**
     * A SHA256withECDSA signer. Buffered: DER encoding writes the to-be-signed structure in many small pieces,
     * and each piece would otherwise be one trip through the JCA {@code Signature.update}.
     */
    static ContentSigner signer(PrivateKey key, SecureRandom random) {
        try {
            return new BufferingContentSigner(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).setProvider(BC)
                    .setSecureRandom(random).build(key), 1024);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot create a " + SIGNATURE_ALGORITHM + " signer", e);
        }
    }

    static JcaX509ExtensionUtils extensionUtils() {
        try {
            return new JcaX509ExtensionUtils();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 (for key identifiers) is not available", e);
        }
    }

    static X509Certificate toX509(X509CertificateHolder holder) {
        try {
            return CONVERTER.getCertificate(holder);
        } catch (CertificateException e) {
            throw new IllegalStateException("cannot convert a certificate Bouncy Castle just built", e);
        }
    }

    static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("cannot DER-encode a certificate", e);
        }
    }

    /** A random positive serial of {@code bits} bits (RFC 5280: positive, at most 20 octets). */
    static BigInteger randomSerial(SecureRandom random, int bits) {
        BigInteger serial;
        do {
            serial = new BigInteger(bits, random);
        } while (serial.signum() == 0);
        return serial;
    }

    /** PEM of anything {@link JcaPEMWriter} writes: certificates, {@code PemObjectGenerator}s, {@code PemObject}s. */
    static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write PEM", e);
        }
        return out.toString();
    }

    /**
     * Several PEM texts through one {@link JcaPEMWriter}: each writer allocates a large buffer, and an issue
     * writes three PEMs. Not thread-safe; use one per operation, in try-with-resources.
     */
    static final class PemTexts implements AutoCloseable {

        private final StringWriter out = new StringWriter(1024);
        private final JcaPEMWriter writer = new JcaPEMWriter(out);

        String write(Object object) {
            try {
                writer.writeObject(object);
                writer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write PEM", e);
            }
            String text = out.toString();
            out.getBuffer().setLength(0);
            return text;
        }

        @Override
        public void close() {
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close a PEM writer", e);
            }
        }
    }

    /** The first {@code CERTIFICATE} of a PEM text. */
    static X509CertificateHolder readCertificate(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof X509CertificateHolder holder) {
                    return holder;
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a PEM certificate: " + e.getClass().getSimpleName());
        }
        throw new IllegalArgumentException("no CERTIFICATE in the PEM text");
    }

    static SubjectPublicKeyInfo publicKeyInfo(java.security.PublicKey key) {
        return SubjectPublicKeyInfo.getInstance(key.getEncoded());
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** {@code sha256:} + lowercase hex: the one fingerprint/hash notation of events (token hashes, certificates). */
    static String sha256Tagged(byte[] data) {
        return "sha256:" + Hex.toHexString(sha256(data));
    }
}
