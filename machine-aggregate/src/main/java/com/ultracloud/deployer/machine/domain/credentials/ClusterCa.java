package com.ultracloud.deployer.machine.domain.credentials;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import java.util.Objects;

/**
 * The cluster's certificate authority: an ECDSA P-256 key and a self-signed X.509 v3 certificate
 * ({@code CN=<cluster> deployer CA}, basicConstraints CA:true pathlen:0 critical, keyUsage
 * keyCertSign|cRLSign critical, subjectKeyIdentifier). It signs the nodes' TLS certificates.
 *
 * <p>The private key never leaves this object except sealed ({@link #seal}); there is no getter for it,
 * and {@link #toString()} shows the subject and fingerprint only (DESIGN §5: the CA key is never
 * returned by any API).
 */
public final class ClusterCa {

    /** Default CA validity: ten years. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(3650);
    /** Certificates start this much before "now", so hosts whose clocks lag a little accept them. */
    public static final Duration CLOCK_SKEW_ALLOWANCE = Duration.ofMinutes(5);

    private static final String SEAL_CONTEXT = "ultracloud-cluster-ca-key:";

    private final X509CertificateHolder holder;
    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final String certificatePem;
    private final String fingerprint;
    private final Instant notAfter;

    private ClusterCa(X509CertificateHolder holder, PrivateKey privateKey) {
        this.holder = holder;
        this.certificate = Crypto.toX509(holder);
        this.privateKey = privateKey;
        this.certificatePem = Crypto.pem(certificate);
        this.fingerprint = Crypto.sha256Tagged(Crypto.der(certificate));
        this.notAfter = certificate.getNotAfter().toInstant(); // kept: the certificate re-parses its time on every call
    }

    /** A new CA for {@code clusterName}, valid {@link #DEFAULT_VALIDITY} from now. */
    public static ClusterCa create(String clusterName, Clock clock) {
        return create(clusterName, DEFAULT_VALIDITY, clock);
    }

    public static ClusterCa create(String clusterName, Duration validity, Clock clock) {
        return create(clusterName, validity, clock, new SecureRandom());
    }

    public static ClusterCa create(String clusterName, Duration validity, Clock clock, SecureRandom random) {
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(validity, "validity");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        if (clusterName.isBlank() || clusterName.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("cluster name must be non-blank printable text: '" + clusterName + "'");
        }
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("CA validity must be positive: " + validity);
        }
        KeyPair keyPair = Crypto.newP256KeyPair(random);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, clusterName.strip() + " deployer CA").build();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        JcaX509ExtensionUtils extensions = Crypto.extensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, Crypto.randomSerial(random, 128),
                Date.from(now.minus(CLOCK_SKEW_ALLOWANCE)), Date.from(now.plus(validity)), subject, keyPair.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keyPair.getPublic()));
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot encode CA certificate extensions", e);
        }
        X509CertificateHolder holder = builder.build(Crypto.signer(keyPair.getPrivate(), random));
        return new ClusterCa(holder, keyPair.getPrivate());
    }

    /** {@link #load(String, byte[], KeySealer)} of a {@link StoredClusterCa}. */
    public static ClusterCa load(StoredClusterCa stored, KeySealer sealer) {
        return load(stored.certificatePem(), stored.sealedPrivateKey(), sealer);
    }

    /**
     * Reads a CA back from its certificate PEM and its sealed private key.
     *
     * @throws SealingException         when the key cannot be unsealed (wrong KEK, tampered, or sealed for another certificate)
     * @throws IllegalArgumentException when the certificate is not a CA certificate or does not match the key
     */
    public static ClusterCa load(String certificatePem, byte[] sealedPrivateKey, KeySealer sealer) {
        X509CertificateHolder holder = Crypto.readCertificate(certificatePem);
        X509Certificate certificate = Crypto.toX509(holder);
        if (certificate.getBasicConstraints() < 0) {
            throw new IllegalArgumentException("not a CA certificate (basicConstraints CA:false): " + certificate.getSubjectX500Principal());
        }
        byte[] pkcs8 = sealer.unseal(sealedPrivateKey, sealContext(Crypto.sha256Tagged(Crypto.der(certificate))));
        PrivateKey privateKey;
        try {
            privateKey = KeyFactory.getInstance("EC", Crypto.BC).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the unsealed CA key is not a PKCS#8 EC private key", e);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
        requireKeyMatches(certificate, privateKey);
        return new ClusterCa(holder, privateKey);
    }

    /**
     * The CA as stored: certificate PEM plus the private key (PKCS#8 DER) sealed under {@code sealer},
     * bound to this certificate's fingerprint. The only way the private key leaves this object.
     */
    public StoredClusterCa seal(KeySealer sealer) {
        byte[] pkcs8 = privateKey.getEncoded();
        try {
            return new StoredClusterCa(certificatePem, sealer.seal(pkcs8, sealContext(fingerprint)));
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public String certificatePem() {
        return certificatePem;
    }

    /** {@code sha256:} + hex of the certificate's DER. */
    public String fingerprint() {
        return fingerprint;
    }

    public X500Name subject() {
        return holder.getSubject();
    }

    public Instant notAfter() {
        return notAfter;
    }

    X509CertificateHolder certificateHolder() {
        return holder;
    }

    ContentSigner signer(SecureRandom random) {
        return Crypto.signer(privateKey, random);
    }

    @Override
    public String toString() {
        return "ClusterCa[subject=" + holder.getSubject() + ", fingerprint=" + fingerprint + ", notAfter=" + notAfter()
                + ", privateKey=(redacted)]";
    }

    private static String sealContext(String certificateFingerprint) {
        return SEAL_CONTEXT + certificateFingerprint;
    }

    private static void requireKeyMatches(X509Certificate certificate, PrivateKey privateKey) {
        byte[] probe = "ultracloud-ca-key-check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(Crypto.SIGNATURE_ALGORITHM, Crypto.BC);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(Crypto.SIGNATURE_ALGORITHM, Crypto.BC);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new IllegalArgumentException("the CA private key does not match the CA certificate " + certificate.getSubjectX500Principal());
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the CA private key does not fit the CA certificate's public key", e);
        }
    }
}
