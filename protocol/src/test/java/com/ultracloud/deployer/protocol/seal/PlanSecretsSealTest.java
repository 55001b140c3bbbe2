package com.ultracloud.deployer.protocol.seal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.protocol.BootstrapPlan;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlanSecretsSealTest {

    private static final String MACHINE = "2f0f6313-5b1e-3c61-9a3e-7f0e44b1c0de";
    private static final String PLAN = "plan-5b0c";
    private static final BootstrapPlan.Secrets CLEAR = new BootstrapPlan.Secrets(
            new BootstrapPlan.SshHostKey("-----BEGIN OPENSSH PRIVATE KEY-----\nSSH\n-----END OPENSSH PRIVATE KEY-----\n",
                    "ssh-ed25519 AAAAC3 cp-1"),
            new BootstrapPlan.Tls("-----BEGIN CERTIFICATE-----\nNODE\n-----END CERTIFICATE-----\n",
                    "-----BEGIN PRIVATE KEY-----\nTLS\n-----END PRIVATE KEY-----\n",
                    "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n"), "progress-token-1");

    private final InstallerKey installer = InstallerKey.generate();

    @Test
    void theInstallerOpensWhatWasSealedToItsKey() throws Exception {
        BootstrapPlan.Sealed sealed = PlanSecretsSeal.seal(CLEAR, installer.publicKey(), MACHINE, PLAN);

        assertThat(sealed.kem()).isEqualTo("DHKEM-X25519-HKDF-SHA256");
        assertThat(sealed.kdf()).isEqualTo("HKDF-SHA256");
        assertThat(sealed.aead()).isEqualTo("AES-128-GCM");
        assertThat(sealed.recipient()).isEqualTo(installer.fingerprint()).matches("sha256:[0-9a-f]{64}");
        assertThat(Base64.getDecoder().decode(sealed.enc())).hasSize(32);
        String wire = new ObjectMapper().writeValueAsString(BootstrapPlan.Secrets.sealedAs(sealed));
        assertThat(wire).doesNotContain("PRIVATE KEY", "SSH", "TLS", "sshHostKey", "progress");

        BootstrapPlan.Secrets opened = PlanSecretsSeal.open(sealed, installer, MACHINE, PLAN);
        assertThat(opened.sshHostKey()).isEqualTo(CLEAR.sshHostKey());
        assertThat(opened.tls()).isEqualTo(CLEAR.tls());
        assertThat(opened.progressToken()).isEqualTo("progress-token-1");
        assertThat(opened.sealed()).isNull();
    }

    @Test
    void everySealHasItsOwnEncapsulation() {
        BootstrapPlan.Sealed a = PlanSecretsSeal.seal(CLEAR, installer.publicKey(), MACHINE, PLAN);
        BootstrapPlan.Sealed b = PlanSecretsSeal.seal(CLEAR, installer.publicKey(), MACHINE, PLAN);
        assertThat(a.enc()).isNotEqualTo(b.enc());
        assertThat(a.ciphertext()).isNotEqualTo(b.ciphertext());
    }

    @Test
    void anotherKeyCannotOpenThem() {
        BootstrapPlan.Sealed sealed = PlanSecretsSeal.seal(CLEAR, installer.publicKey(), MACHINE, PLAN);
        InstallerKey other = InstallerKey.generate();
        assertThatThrownBy(() -> PlanSecretsSeal.open(sealed, other, MACHINE, PLAN))
                .isInstanceOf(SealException.class).hasMessageContaining("sealed to installer key " + installer.fingerprint());
        // with the recipient relabelled the key schedule still refuses: the label is not what protects them
        BootstrapPlan.Sealed relabelled = new BootstrapPlan.Sealed(sealed.kem(), sealed.kdf(), sealed.aead(),
                other.fingerprint(), sealed.enc(), sealed.ciphertext());
        assertThatThrownBy(() -> PlanSecretsSeal.open(relabelled, other, MACHINE, PLAN))
                .isInstanceOf(SealException.class).hasMessageContaining("cannot be opened");
    }

    @Test
    void theyAreBoundToTheirMachineAndPlanAndCannotBeAltered() {
        BootstrapPlan.Sealed sealed = PlanSecretsSeal.seal(CLEAR, installer.publicKey(), MACHINE, PLAN);
        assertThatThrownBy(() -> PlanSecretsSeal.open(sealed, installer, MACHINE, "plan-other"))
                .isInstanceOf(SealException.class);
        assertThatThrownBy(() -> PlanSecretsSeal.open(sealed, installer, "11111111-2222-3333-4444-555555555555", PLAN))
                .isInstanceOf(SealException.class);
        byte[] ct = Base64.getDecoder().decode(sealed.ciphertext());
        ct[5] ^= 1;
        BootstrapPlan.Sealed tampered = new BootstrapPlan.Sealed(sealed.kem(), sealed.kdf(), sealed.aead(),
                sealed.recipient(), sealed.enc(), Base64.getEncoder().encodeToString(ct));
        assertThatThrownBy(() -> PlanSecretsSeal.open(tampered, installer, MACHINE, PLAN)).isInstanceOf(SealException.class);
        BootstrapPlan.Sealed otherSuite = new BootstrapPlan.Sealed(sealed.kem(), sealed.kdf(), "CHACHA20-POLY1305",
                sealed.recipient(), sealed.enc(), sealed.ciphertext());
        assertThatThrownBy(() -> PlanSecretsSeal.open(otherSuite, installer, MACHINE, PLAN))
                .isInstanceOf(SealException.class).hasMessageContaining("unknown suite");
    }

    /** RFC 9180 A.1.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base mode, sequence 0. */
    @Test
    void theSuiteIsRfc9180sA1() {
        HexFormat hex = HexFormat.of();
        InstallerKey recipient = InstallerKey.fromPrivateKey(hex.parseHex("4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8"));
        assertThat(hex.formatHex(recipient.publicKey())).isEqualTo("3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d");
        byte[] plaintext = PlanSecretsSeal.openRaw(
                hex.parseHex("37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431"),
                hex.parseHex("f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a"),
                recipient, hex.parseHex("4f6465206f6e2061204772656369616e2055726e"), "Count-0".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(plaintext, StandardCharsets.US_ASCII)).isEqualTo("Beauty is truth, truth beauty");
    }

    @Test
    void aPublicKeyMustBeAUsableX25519Key() {
        assertThat(InstallerKey.parsePublicKey(installer.publicKeyBase64())).isEqualTo(installer.publicKey());
        assertThatThrownBy(() -> InstallerKey.parsePublicKey(null)).hasMessage("is required");
        assertThatThrownBy(() -> InstallerKey.parsePublicKey("not base64!")).hasMessage("must be standard base64");
        assertThatThrownBy(() -> InstallerKey.parsePublicKey(Base64.getEncoder().encodeToString(new byte[31])))
                .hasMessageContaining("32 bytes, got 31");
        assertThatThrownBy(() -> InstallerKey.parsePublicKey(Base64.getEncoder().encodeToString(new byte[32])))
                .hasMessageContaining("small-order");
    }

    @Test
    void aKeyKeptInRamReadsBackAsTheSameKeyAndNeverPrintsItsPrivateHalf() {
        InstallerKey again = InstallerKey.fromPrivateKey(installer.privateKeyBytes());
        assertThat(again.fingerprint()).isEqualTo(installer.fingerprint());
        assertThat(installer.toString()).contains(installer.fingerprint()).contains("redacted")
                .doesNotContain(Base64.getEncoder().encodeToString(installer.privateKeyBytes()));
    }
}
