package com.ultracloud.deployer.machine.domain.credentials;

import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeCredentialIssuerTest {

    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private static ClusterCa ca;
    private static NodeCredentialIssuer issuer;
    private static IssuedNodeCredentials issued;
    private static X509Certificate certificate;
    private static X509Certificate caCertificate;

    @BeforeAll
    static void issueForTheLabGateway() throws Exception {
        ca = ClusterCa.create("lab", TestNodes.CLOCK);
        issuer = new NodeCredentialIssuer(ca);
        issued = issuer.issue(TestNodes.gateway01(), TestNodes.CLOCK);
        certificate = parse(issued.tls().certificatePem());
        caCertificate = parse(issued.tls().caCertificatePem());
    }

    /** Parsed by the JDK, not by Bouncy Castle: an independent reading of what was issued. */
    private static X509Certificate parse(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    private static void validate(X509Certificate leaf, X509Certificate anchor, Instant at) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(at));
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);
    }

    /** An IP literal only (the JDK parses literals without any DNS look-up). */
    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    @Test
    void theTlsCertificateValidatesAgainstTheCaWithPkix() throws Exception {
        validate(certificate, caCertificate, TestNodes.CLOCK.instant());

        assertThat(caCertificate.getEncoded()).isEqualTo(ca.certificate().getEncoded());
        assertThat(certificate.getIssuerX500Principal()).isEqualTo(caCertificate.getSubjectX500Principal());
    }

    @Test
    void theDeployersServerCertificateIsForServingOnlyWithItsNamesAndAddresses() throws Exception {
        TlsCredential server = issuer.issueServerCertificate(List.of("localhost", "Deployer.Lab.Example."),
                List.of("127.0.0.1", "10.42.0.2/24"), Duration.ofDays(365), TestNodes.CLOCK);
        X509Certificate cert = parse(server.certificatePem());
        validate(cert, caCertificate, TestNodes.CLOCK.instant());
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1"); // serverAuth, never clientAuth
        assertThat(cert.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))).toList())
                .containsExactly("localhost", "deployer.lab.example", "127.0.0.1", "10.42.0.2");
        assertThatThrownBy(() -> issuer.issueServerCertificate(List.of("not a name"), List.of(), Duration.ofDays(1), TestNodes.CLOCK))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> issuer.issueServerCertificate(List.of(), List.of(), Duration.ofDays(1), TestNodes.CLOCK))
                .hasMessageContaining("at least one");
    }

    @Test
    void theTlsCertificateDoesNotValidateAgainstAnotherCaNorAfterItExpires() throws Exception {
        X509Certificate otherCa = ClusterCa.create("other", TestNodes.CLOCK).certificate();

        assertThatThrownBy(() -> validate(certificate, otherCa, TestNodes.CLOCK.instant()))
                .isInstanceOf(CertPathValidatorException.class);
        assertThatThrownBy(() -> validate(certificate, caCertificate, TestNodes.CLOCK.instant().plus(Duration.ofDays(91))))
                .isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void theSubjectIsTheHostnameAndTheSansAreNamesAndAddresses() throws Exception {
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=gw-01");
        List<String> dns = certificate.getSubjectAlternativeNames().stream()
                .filter(san -> (Integer) san.get(0) == SAN_DNS).map(san -> (String) san.get(1)).toList();
        List<InetAddress> ips = certificate.getSubjectAlternativeNames().stream()
                .filter(san -> (Integer) san.get(0) == SAN_IP).map(san -> address((String) san.get(1))).toList();

        assertThat(dns).containsExactly("gw-01", "gw-01.lab.ultracloud.example");
        assertThat(ips).containsExactly(address("10.0.10.21"), address("2001:db8:10::21"), address("fe80::a236:9fff:fe12:3456"));
        assertThat(certificate.getSubjectAlternativeNames()).hasSize(5);
    }

    @Test
    void ipv4AndIpv6AddressesAreEncodedAsFourAndSixteenOctets() throws Exception {
        IssuedNodeCredentials dual = issuer.issue(new NodeIdentity(TestNodes.gateway01().machineId(), "n1", "n1", null,
                List.of("192.168.1.254", "[::1]", "2001:DB8::1/64", "::ffff:10.1.2.3")), TestNodes.CLOCK);
        byte[] sanExtension = parse(dual.tls().certificatePem()).getExtensionValue("2.5.29.17");
        org.bouncycastle.asn1.x509.GeneralNames names = org.bouncycastle.asn1.x509.GeneralNames.getInstance(
                org.bouncycastle.asn1.ASN1OctetString.getInstance(sanExtension).getOctets());

        List<String> octets = Arrays.stream(names.getNames())
                .filter(n -> n.getTagNo() == org.bouncycastle.asn1.x509.GeneralName.iPAddress)
                .map(n -> HexFormat.of().formatHex(org.bouncycastle.asn1.ASN1OctetString.getInstance(n.getName()).getOctets()))
                .toList();
        assertThat(octets).containsExactly("c0a801fe", "00000000000000000000000000000001",
                "20010db8000000000000000000000001", "00000000000000000000ffff0a010203");
    }

    @Test
    void theTlsCertificateIsForServerAndClientAuthWithDigitalSignatureOnly() throws Exception {
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        boolean[] keyUsage = certificate.getKeyUsage();
        assertThat(keyUsage[0]).as("digitalSignature").isTrue();
        assertThat(Arrays.copyOfRange(keyUsage, 1, keyUsage.length)).as("no other key usage").containsOnly(false);
        assertThat(certificate.getCriticalExtensionOIDs()).contains("2.5.29.15", "2.5.29.19"); // keyUsage, basicConstraints
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
    }

    @Test
    void theTlsCertificateIsValidNinetyDaysAndBackdatedForClockSkew() {
        Instant now = TestNodes.CLOCK.instant();

        assertThat(certificate.getNotBefore().toInstant()).isEqualTo(now.minus(Duration.ofMinutes(5)));
        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(now.plus(Duration.ofDays(90)));
        assertThat(issued.tls().notAfter()).isEqualTo(certificate.getNotAfter().toInstant());
    }

    @Test
    void aCustomValidityIsHonouredAndCappedAtTheCasExpiry() throws Exception {
        Clock clock = TestNodes.CLOCK;
        ClusterCa shortCa = ClusterCa.create("short", Duration.ofDays(30), clock);
        NodeCredentialIssuer shortIssuer = new NodeCredentialIssuer(shortCa);

        X509Certificate sevenDays = parse(issuer.issue(TestNodes.gateway01(), Duration.ofDays(7), Duration.ofHours(1), clock).tls().certificatePem());
        X509Certificate capped = parse(shortIssuer.issue(TestNodes.gateway01(), clock).tls().certificatePem());

        assertThat(sevenDays.getNotAfter().toInstant()).isEqualTo(clock.instant().plus(Duration.ofDays(7)));
        assertThat(capped.getNotAfter()).isEqualTo(shortCa.certificate().getNotAfter());
        assertThatThrownBy(() -> shortIssuer.issue(TestNodes.gateway01(),
                Clock.fixed(clock.instant().plus(Duration.ofDays(31)), ZoneOffset.UTC)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("expired");
    }

    @Test
    void keyIdentifiersChainTheCertificateToTheCa() {
        byte[] authorityKeyId = org.bouncycastle.asn1.x509.AuthorityKeyIdentifier.getInstance(
                org.bouncycastle.asn1.ASN1OctetString.getInstance(certificate.getExtensionValue("2.5.29.35")).getOctets()).getKeyIdentifier();
        byte[] caKeyId = org.bouncycastle.asn1.ASN1OctetString.getInstance(
                org.bouncycastle.asn1.ASN1OctetString.getInstance(caCertificate.getExtensionValue("2.5.29.14")).getOctets()).getOctets();

        assertThat(authorityKeyId).isEqualTo(caKeyId);
        assertThat(certificate.getExtensionValue("2.5.29.14")).isNotNull();
    }

    @Test
    void theSerialIsRandomPositiveAndAtLeast64Bits() throws Exception {
        BigInteger serial = certificate.getSerialNumber();
        BigInteger another = parse(issuer.issue(TestNodes.gateway01(), TestNodes.CLOCK).tls().certificatePem()).getSerialNumber();

        assertThat(serial.signum()).isPositive();
        assertThat(serial.bitLength()).isGreaterThan(64).isLessThanOrEqualTo(128);
        assertThat(another).isNotEqualTo(serial);
        assertThat(issued.tls().serial()).isEqualTo(serial.toString(16));
    }

    @Test
    void thePrivateKeyIsPkcs8PemOfAP256KeyThatFitsTheCertificate() throws Exception {
        assertThat(issued.tls().privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
        PemObject pem = new PemReader(new StringReader(issued.tls().privateKeyPem())).readPemObject();
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pem.getContent()));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(new byte[]{1, 2, 3});
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(new byte[]{1, 2, 3});

        assertThat(verifier.verify(signer.sign())).isTrue();
        assertThat(((ECPublicKey) certificate.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
    }

    @Test
    void theFingerprintIsSha256OfTheCertificateDer() throws Exception {
        String expected = "sha256:" + HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));

        assertThat(issued.tls().fingerprint()).isEqualTo(expected);
    }

    @Test
    void theSshHostKeyIsOpensshEd25519AndItsPublicHalfMatches() throws Exception {
        SshHostKey ssh = issued.sshHostKey();
        assertThat(ssh.privateKeyOpenssh()).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n")
                .endsWith("-----END OPENSSH PRIVATE KEY-----\n");
        PemObject pem = new PemReader(new StringReader(ssh.privateKeyOpenssh())).readPemObject();
        AsymmetricKeyParameter privateKey = OpenSSHPrivateKeyUtil.parsePrivateKeyBlob(pem.getContent());
        String[] publicLine = ssh.publicKey().split(" ");

        assertThat(privateKey).isInstanceOf(Ed25519PrivateKeyParameters.class);
        assertThat(publicLine).hasSize(3);
        assertThat(publicLine[0]).isEqualTo("ssh-ed25519");
        assertThat(publicLine[1]).startsWith("AAAAC3NzaC1lZDI1NTE5");
        assertThat(publicLine[2]).isEqualTo("gw-01");
        byte[] derivedPublic = OpenSSHPublicKeyUtil.encodePublicKey(((Ed25519PrivateKeyParameters) privateKey).generatePublicKey());
        assertThat(Base64.getEncoder().encodeToString(derivedPublic)).isEqualTo(publicLine[1]);
        assertThat(ssh.fingerprint()).matches("SHA256:[A-Za-z0-9+/]{43}");
    }

    @Test
    void sshKeygenDerivesTheSamePublicKeyAndFingerprint(@TempDir Path dir) throws Exception {
        TestNodes.assumeTool("ssh-keygen");
        SshHostKey ssh = issued.sshHostKey();
        Path privateKey = TestNodes.writePrivate(dir, "ssh_host_ed25519_key", ssh.privateKeyOpenssh());
        Path publicKey = Files.writeString(dir.resolve("ssh_host_ed25519_key.pub"), ssh.publicKey() + "\n");

        TestNodes.Result derived = TestNodes.run("ssh-keygen", "-y", "-f", privateKey.toString());
        TestNodes.Result fingerprint = TestNodes.run("ssh-keygen", "-l", "-E", "sha256", "-f", publicKey.toString());

        assertThat(derived.exitCode()).as(derived.out()).isZero();
        String[] derivedLine = derived.out().strip().split(" ");
        String[] ourLine = ssh.publicKey().split(" ");
        assertThat(derivedLine[0] + " " + derivedLine[1]).isEqualTo(ourLine[0] + " " + ourLine[1]);
        assertThat(fingerprint.exitCode()).as(fingerprint.out()).isZero();
        assertThat(fingerprint.out()).startsWith("256 " + ssh.fingerprint() + " gw-01 (ED25519)");
    }

    @Test
    void opensslReadsTheCertificateAndVerifiesItAgainstTheCa(@TempDir Path dir) throws Exception {
        TestNodes.assumeTool("openssl");
        Path caFile = Files.writeString(dir.resolve("ca.pem"), issued.tls().caCertificatePem());
        Path certFile = Files.writeString(dir.resolve("cert.pem"), issued.tls().certificatePem());
        Path keyFile = TestNodes.writePrivate(dir, "key.pem", issued.tls().privateKeyPem());

        TestNodes.Result text = TestNodes.run("openssl", "x509", "-noout", "-text", "-in", certFile.toString());
        TestNodes.Result asServer = TestNodes.run("openssl", "verify", "-purpose", "sslserver", "-CAfile", caFile.toString(), certFile.toString());
        TestNodes.Result asClient = TestNodes.run("openssl", "verify", "-purpose", "sslclient", "-CAfile", caFile.toString(), certFile.toString());
        TestNodes.Result keyPublic = TestNodes.run("openssl", "pkey", "-in", keyFile.toString(), "-pubout");
        TestNodes.Result certPublic = TestNodes.run("openssl", "x509", "-noout", "-pubkey", "-in", certFile.toString());

        assertThat(text.exitCode()).as(text.out()).isZero();
        assertThat(text.out()).contains("Subject: CN = gw-01", "Issuer: CN = lab deployer CA",
                "DNS:gw-01, DNS:gw-01.lab.ultracloud.example, IP Address:10.0.10.21, IP Address:2001:DB8:10:0:0:0:0:21",
                "TLS Web Server Authentication, TLS Web Client Authentication", "Digital Signature", "CA:FALSE",
                "ASN1 OID: prime256v1", "ecdsa-with-SHA256");
        assertThat(asServer.out()).as(asServer.out()).contains(certFile + ": OK");
        assertThat(asClient.out()).as(asClient.out()).contains(certFile + ": OK");
        assertThat(keyPublic.exitCode()).as(keyPublic.out()).isZero();
        assertThat(keyPublic.out()).isEqualTo(certPublic.out());
    }

    @Test
    void opensslAcceptsTheCaAsACa(@TempDir Path dir) throws Exception {
        TestNodes.assumeTool("openssl");
        Path caFile = Files.writeString(dir.resolve("ca.pem"), ca.certificatePem());

        TestNodes.Result text = TestNodes.run("openssl", "x509", "-noout", "-text", "-in", caFile.toString());
        TestNodes.Result self = TestNodes.run("openssl", "verify", "-CAfile", caFile.toString(), caFile.toString());

        assertThat(text.out()).contains("CA:TRUE, pathlen:0", "Certificate Sign, CRL Sign", "Subject: CN = lab deployer CA");
        assertThat(self.out()).contains(": OK");
    }
}
