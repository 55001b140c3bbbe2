package com.ultracloud.deployer.machine.domain.credentials;

import com.ultracloud.deployer.machine.api.IssuedCredentials;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DESIGN §5: no private key or token in public facts, nor in any toString(). */
class SecretRedactionTest {

    private static final String KEK = KeySealer.generateKek();

    private static ClusterCa ca;
    private static KeySealer sealer;
    private static IssuedNodeCredentials issued;
    private static List<String> secrets;

    @BeforeAll
    static void issue() {
        ca = ClusterCa.create("lab", TestNodes.CLOCK);
        sealer = KeySealer.fromBase64(KEK);
        issued = new NodeCredentialIssuer(ca).issue(TestNodes.gateway01(), TestNodes.CLOCK);
        secrets = new ArrayList<>();
        secrets.add(issued.tls().privateKeyPem());
        secrets.add(issued.sshHostKey().privateKeyOpenssh());
        secrets.add(issued.installToken().value());
        secrets.add(issued.installToken().value().substring(0, 20));
        secrets.add(KEK);
        secrets.add(KEK.substring(0, 20));
        secrets.addAll(TestNodes.fragments(issued.tls().privateKeyPem()));
        // the OpenSSH private key file embeds the public key too: windows of it that the public line shows are not secret
        TestNodes.fragments(issued.sshHostKey().privateKeyOpenssh()).stream()
                .filter(fragment -> !issued.sshHostKey().publicKey().contains(fragment)).forEach(secrets::add);
        byte[] seed = ((org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters) org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil
                .parsePrivateKeyBlob(pemContent(issued.sshHostKey().privateKeyOpenssh()))).getEncoded();
        secrets.add(Base64.getEncoder().encodeToString(seed).substring(0, 40));
        secrets.add(java.util.HexFormat.of().formatHex(seed));
        byte[] caKey = sealer.unseal(ca.seal(sealer).sealedPrivateKey(), "ultracloud-cluster-ca-key:" + ca.fingerprint());
        secrets.addAll(TestNodes.fragments(Base64.getEncoder().encodeToString(caKey)));
    }

    private static byte[] pemContent(String pem) {
        try {
            return new org.bouncycastle.util.io.pem.PemReader(new java.io.StringReader(pem)).readPemObject().getContent();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertNoSecretIn(String text) {
        for (String secret : secrets) {
            assertThat(text).doesNotContain(secret);
        }
        assertThat(text).doesNotContain("PRIVATE KEY");
    }

    @Test
    void publicFactsCarryFingerprintsSerialAndTokenHashOnly() {
        IssuedCredentials facts = issued.publicFacts();

        assertThat(facts.sshHostKeyFingerprint()).isEqualTo(issued.sshHostKey().fingerprint()).startsWith("SHA256:");
        assertThat(facts.tlsCertificateSerial()).isEqualTo(issued.tls().serial()).matches("[0-9a-f]+");
        assertThat(facts.tlsCertificateFingerprint()).isEqualTo(issued.tls().fingerprint()).matches("sha256:[0-9a-f]{64}");
        assertThat(facts.installTokenHash()).isEqualTo(InstallTokens.hash(issued.installToken().value()));
        assertThat(facts.installTokenExpiresAt()).isEqualTo(issued.installToken().expiresAt());
        assertNoSecretIn(facts.toString());
        assertNoSecretIn(String.join("|", facts.sshHostKeyFingerprint(), facts.tlsCertificateSerial(),
                facts.tlsCertificateFingerprint(), facts.installTokenHash()));
    }

    @Test
    void noToStringPrintsASecret() {
        List<Object> holders = List.of(issued, issued.tls(), issued.sshHostKey(), issued.installToken(), issued.node(),
                ca, ca.seal(sealer), sealer, issued.seal(sealer), issued.publicFacts());

        for (Object holder : holders) {
            assertNoSecretIn(holder.toString());
        }
        assertThat(issued.toString()).contains("redacted", issued.tls().fingerprint(), issued.sshHostKey().fingerprint(),
                issued.installToken().hash());
    }

    @Test
    void sealedNodeSecretsOpenOnlyForTheirMachineAndRole() {
        SealedNodeSecrets sealed = issued.seal(sealer);
        SealedNodeSecrets swapped = new SealedNodeSecrets(sealed.machineId(), sealed.sealedSshPrivateKey(), sealed.sealedTlsPrivateKey());
        SealedNodeSecrets moved = new SealedNodeSecrets(TestNodes.node("other").machineId(), sealed.sealedTlsPrivateKey(),
                sealed.sealedSshPrivateKey());

        assertThat(sealed.unsealTlsPrivateKeyPem(sealer)).isEqualTo(issued.tls().privateKeyPem());
        assertThat(sealed.unsealSshPrivateKeyOpenssh(sealer)).isEqualTo(issued.sshHostKey().privateKeyOpenssh());
        assertThatThrownBy(() -> swapped.unsealTlsPrivateKeyPem(sealer)).isInstanceOf(SealingException.class);
        assertThatThrownBy(() -> moved.unsealSshPrivateKeyOpenssh(sealer)).isInstanceOf(SealingException.class);
    }

    @Test
    void exceptionMessagesCarryNoSecret() {
        byte[] blob = issued.seal(sealer).sealedTlsPrivateKey();
        blob[30] ^= 1;
        Throwable tampered = org.assertj.core.api.Assertions.catchThrowable(
                () -> new SealedNodeSecrets(issued.node().machineId(), blob, blob).unsealTlsPrivateKeyPem(sealer));
        Throwable wrongKek = org.assertj.core.api.Assertions.catchThrowable(
                () -> issued.seal(sealer).unsealTlsPrivateKeyPem(KeySealer.fromBase64(KeySealer.generateKek())));

        assertNoSecretIn(tampered.getMessage());
        assertNoSecretIn(wrongKek.getMessage());
    }
}
