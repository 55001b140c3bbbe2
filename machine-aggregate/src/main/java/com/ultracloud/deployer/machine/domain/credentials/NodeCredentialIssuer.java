package com.ultracloud.deployer.machine.domain.credentials;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemGenerationException;
import org.bouncycastle.util.io.pem.PemObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * Issues a node's bootstrap credentials (DESIGN §5, plan {@code secrets} of §8.1): a TLS certificate
 * signed by the {@link ClusterCa}, an SSH Ed25519 host key and an install token.
 *
 * <p>The TLS certificate: ECDSA P-256 key; subject {@code CN=<hostname>}; SANs = hostname and FQDN
 * (DNS) and every address (IP); keyUsage digitalSignature (critical); extendedKeyUsage serverAuth and
 * clientAuth (the nix-agent presents it as its node credential); basicConstraints CA:false (critical);
 * subject and authority key identifiers; a random positive 128-bit serial; notBefore backdated by
 * {@link ClusterCa#CLOCK_SKEW_ALLOWANCE}; notAfter = now + validity, capped at the CA's notAfter.
 *
 * <p>Pure: the clock and the randomness come from the caller. Thread-safe.
 */
public final class NodeCredentialIssuer {

    public static final Duration DEFAULT_TLS_VALIDITY = Duration.ofDays(90);
    public static final Duration DEFAULT_TOKEN_TTL = InstallTokens.DEFAULT_TTL;
    /** Serial entropy: well above the 64 bits CA/Browser Forum rules ask for; 17 DER octets at most. */
    static final int SERIAL_BITS = 128;

    private static final String OPENSSH_PRIVATE_KEY = "OPENSSH PRIVATE KEY";

    private final ClusterCa ca;
    private final SecureRandom random;
    private final AuthorityKeyIdentifier authorityKeyIdentifier;

    public NodeCredentialIssuer(ClusterCa ca) {
        this(ca, new SecureRandom());
    }

    public NodeCredentialIssuer(ClusterCa ca, SecureRandom random) {
        this.ca = Objects.requireNonNull(ca, "ca");
        this.random = Objects.requireNonNull(random, "random");
        SubjectKeyIdentifier caKeyId = SubjectKeyIdentifier.fromExtensions(ca.certificateHolder().getExtensions());
        this.authorityKeyIdentifier = caKeyId != null
                ? new AuthorityKeyIdentifier(caKeyId.getKeyIdentifier())
                : Crypto.extensionUtils().createAuthorityKeyIdentifier(Crypto.publicKeyInfo(ca.certificate().getPublicKey()));
    }

    /** {@link #issue(NodeIdentity, Duration, Duration, Clock)} with 90 days of TLS validity and a 2-hour token. */
    public IssuedNodeCredentials issue(NodeIdentity node, Clock clock) {
        return issue(node, DEFAULT_TLS_VALIDITY, DEFAULT_TOKEN_TTL, clock);
    }

    public IssuedNodeCredentials issue(NodeIdentity node, Duration tlsValidity, Duration tokenTtl, Clock clock) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(tlsValidity, "tlsValidity");
        Objects.requireNonNull(tokenTtl, "tokenTtl");
        Objects.requireNonNull(clock, "clock");
        if (tlsValidity.isNegative() || tlsValidity.isZero()) {
            throw new IllegalArgumentException("TLS validity must be positive: " + tlsValidity);
        }
        Instant now = clock.instant();
        if (!now.isBefore(ca.notAfter())) {
            throw new IllegalStateException("the cluster CA expired at " + ca.notAfter() + "; rotate it before issuing");
        }
        try (Crypto.PemTexts pem = new Crypto.PemTexts()) {
            return new IssuedNodeCredentials(node, issueTls(node, tlsValidity, now, pem), issueSshHostKey(node, pem),
                    InstallTokens.issue(tokenTtl, clock, random));
        }
    }

    /**
     * A server certificate for the deployer's own machine-facing HTTPS port: like a node's, but with
     * extendedKeyUsage serverAuth only (it can never pass as a node's client credential). Names are lower-cased
     * DNS names ({@code localhost} included), addresses IPv4/IPv6 literals; the first name is the CN.
     */
    public TlsCredential issueServerCertificate(List<String> dnsNames, List<String> addresses, Duration validity, Clock clock) {
        Objects.requireNonNull(validity, "validity");
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("TLS validity must be positive: " + validity);
        }
        List<String> names = dnsNames.stream().map(NodeIdentity::normalizeName).distinct().toList();
        List<String> ips = addresses.stream().map(NodeIdentity::normalizeAddress).distinct().toList();
        if (names.isEmpty() && ips.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one DNS name or address");
        }
        Instant now = clock.instant();
        if (!now.isBefore(ca.notAfter())) {
            throw new IllegalStateException("the cluster CA expired at " + ca.notAfter() + "; rotate it before issuing");
        }
        try (Crypto.PemTexts pem = new Crypto.PemTexts()) {
            return certificate(names.isEmpty() ? ips.get(0) : names.get(0), names, ips,
                    new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth}, validity, now, pem);
        }
    }

    private TlsCredential issueTls(NodeIdentity node, Duration validity, Instant now, Crypto.PemTexts pem) {
        return certificate(node.hostname(), node.dnsNames(), node.addresses(),
                new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}, validity, now, pem);
    }

    private TlsCredential certificate(String commonName, List<String> dnsNames, List<String> addresses,
                                      KeyPurposeId[] purposes, Duration validity, Instant now, Crypto.PemTexts pem) {
        KeyPair keyPair = Crypto.newP256KeyPair(random);
        Instant start = now.truncatedTo(ChronoUnit.SECONDS);
        Instant notBefore = start.minus(ClusterCa.CLOCK_SKEW_ALLOWANCE);
        Instant wanted = start.plus(validity);
        Instant notAfter = wanted.isAfter(ca.notAfter()) ? ca.notAfter() : wanted;
        BigInteger serial = Crypto.randomSerial(random, SERIAL_BITS);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
        JcaX509ExtensionUtils extensionUtils = Crypto.extensionUtils();
        X509CertificateHolder holder;
        try {
            holder = new JcaX509v3CertificateBuilder(ca.subject(), serial, Date.from(notBefore), Date.from(notAfter),
                    subject, keyPair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes))
                    .addExtension(Extension.subjectAlternativeName, false, subjectAlternativeNames(dnsNames, addresses))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensionUtils.createSubjectKeyIdentifier(keyPair.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier)
                    .build(ca.signer(random));
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot encode the TLS certificate's extensions", e);
        }
        String privateKeyPem;
        try {
            privateKeyPem = pem.write(new JcaPKCS8Generator(keyPair.getPrivate(), null));
        } catch (PemGenerationException e) {
            throw new IllegalStateException("cannot encode the TLS private key as PKCS#8", e);
        }
        byte[] der;
        try {
            der = holder.getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot DER-encode the TLS certificate", e);
        }
        // encode the DER once: it gives both the PEM and the fingerprint
        return new TlsCredential(pem.write(new PemObject("CERTIFICATE", der)), privateKeyPem, ca.certificatePem(), serial.toString(16),
                Crypto.sha256Tagged(der), notBefore, notAfter);
    }

    private static GeneralNames subjectAlternativeNames(List<String> dnsNames, List<String> addresses) {
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
        addresses.forEach(address -> names.add(new GeneralName(GeneralName.iPAddress, address)));
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private SshHostKey issueSshHostKey(NodeIdentity node, Crypto.PemTexts pem) {
        Ed25519KeyPairGenerator generator = new Ed25519KeyPairGenerator();
        generator.init(new Ed25519KeyGenerationParameters(random));
        AsymmetricCipherKeyPair keyPair = generator.generateKeyPair();
        try {
            String privateKey = pem.write(new PemObject(OPENSSH_PRIVATE_KEY, OpenSSHPrivateKeyUtil.encodePrivateKey(keyPair.getPrivate())));
            byte[] publicBlob = OpenSSHPublicKeyUtil.encodePublicKey(keyPair.getPublic());
            String publicKey = "ssh-ed25519 " + Base64.getEncoder().encodeToString(publicBlob) + " " + node.hostname();
            String fingerprint = "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(Crypto.sha256(publicBlob));
            return new SshHostKey(privateKey, publicKey, fingerprint);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the SSH host key in OpenSSH format", e);
        }
    }
}
