package com.ultracloud.deployer.machine.domain.credentials;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterCaTest {

    private static ClusterCa ca;
    private static KeySealer sealer;

    @BeforeAll
    static void createCa() {
        ca = ClusterCa.create("lab", TestNodes.CLOCK);
        sealer = KeySealer.fromBase64(KeySealer.generateKek());
    }

    private static X509Certificate parse(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void theCaCertificateIsASelfSignedP256CaValidTenYears() throws Exception {
        X509Certificate certificate = parse(ca.certificatePem());

        assertThat(certificate.getVersion()).isEqualTo(3);
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=lab deployer CA");
        assertThat(certificate.getIssuerX500Principal()).isEqualTo(certificate.getSubjectX500Principal());
        certificate.verify(certificate.getPublicKey());
        assertThat(certificate.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(certificate.getBasicConstraints()).isEqualTo(0); // CA:true, pathlen 0: it signs leaves only
        assertThat(certificate.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        boolean[] keyUsage = certificate.getKeyUsage();
        assertThat(keyUsage[5]).as("keyCertSign").isTrue();
        assertThat(keyUsage[6]).as("cRLSign").isTrue();
        assertThat(keyUsage[0]).as("digitalSignature").isFalse();
        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(TestNodes.CLOCK.instant().plus(Duration.ofDays(3650)));
        assertThat(certificate.getNotBefore().toInstant()).isEqualTo(TestNodes.CLOCK.instant().minus(Duration.ofMinutes(5)));
        assertThat(certificate.getSerialNumber().signum()).isPositive();
    }

    @Test
    void theValidityIsConfigurable() {
        ClusterCa oneYear = ClusterCa.create("edge", Duration.ofDays(365), TestNodes.CLOCK);

        assertThat(oneYear.notAfter()).isEqualTo(TestNodes.CLOCK.instant().plus(Duration.ofDays(365)));
        assertThatThrownBy(() -> ClusterCa.create("edge", Duration.ZERO, TestNodes.CLOCK)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClusterCa.create(" ", TestNodes.CLOCK)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSealedCaLoadsBackAndIssuesCertificatesTheOriginalCertificateValidates() throws Exception {
        StoredClusterCa stored = ca.seal(sealer);

        ClusterCa loaded = ClusterCa.load(stored.certificatePem(), stored.sealedPrivateKey(), sealer);
        X509Certificate leaf = parse(new NodeCredentialIssuer(loaded).issue(TestNodes.gateway01(), TestNodes.CLOCK).tls().certificatePem());

        assertThat(stored.certificatePem()).isEqualTo(ca.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(loaded.fingerprint()).isEqualTo(ca.fingerprint());
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(parse(ca.certificatePem()), null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(java.util.Date.from(TestNodes.CLOCK.instant()));
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);
    }

    @Test
    void theSealedKeyIsNotPlainPkcs8AndDiffersPerSeal() {
        byte[] first = ca.seal(sealer).sealedPrivateKey();
        byte[] second = ca.seal(sealer).sealedPrivateKey();

        assertThat(first).isNotEqualTo(second);
        assertThat(first[0]).isEqualTo(KeySealer.VERSION);
    }

    @Test
    void loadingWithAWrongKekFails() {
        StoredClusterCa stored = ca.seal(sealer);

        assertThatThrownBy(() -> ClusterCa.load(stored, KeySealer.fromBase64(KeySealer.generateKek())))
                .isInstanceOf(SealingException.class);
    }

    @Test
    void aSealedKeyCannotBePairedWithAnotherCertificate() {
        StoredClusterCa stored = ca.seal(sealer);
        ClusterCa other = ClusterCa.create("other", TestNodes.CLOCK);

        assertThatThrownBy(() -> ClusterCa.load(other.certificatePem(), stored.sealedPrivateKey(), sealer))
                .isInstanceOf(SealingException.class);
    }

    @Test
    void aNodeCertificateIsNotAcceptedAsTheCaCertificate() {
        String leafPem = new NodeCredentialIssuer(ca).issue(TestNodes.gateway01(), TestNodes.CLOCK).tls().certificatePem();

        assertThatThrownBy(() -> ClusterCa.load(leafPem, ca.seal(sealer).sealedPrivateKey(), sealer))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a CA certificate");
    }

    @Test
    void noPublicMethodHandsOutTheCaPrivateKey() {
        List<Method> leaking = Arrays.stream(ClusterCa.class.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .filter(m -> Key.class.isAssignableFrom(m.getReturnType()) && !m.getReturnType().getSimpleName().contains("Public")
                        || KeyPair.class.isAssignableFrom(m.getReturnType()) || m.getReturnType() == byte[].class)
                .toList();

        assertThat(leaking).isEmpty();
        assertThat(ca.certificatePem()).doesNotContain("PRIVATE KEY");
    }
}
