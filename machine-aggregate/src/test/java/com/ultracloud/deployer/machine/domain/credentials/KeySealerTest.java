package com.ultracloud.deployer.machine.domain.credentials;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeySealerTest {

    private static final byte[] SECRET = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMG...\n".getBytes(StandardCharsets.UTF_8);
    private static final String OWNER = "machine:6f1c1a52-3f0e-3b8e-9a57-1c1f0e1d2a3b:tls-private-key";

    private final KeySealer sealer = KeySealer.fromBase64(KeySealer.generateKek());

    @Test
    void sealedBytesUnsealToThePlaintext() {
        byte[] blob = sealer.seal(SECRET, OWNER);

        assertThat(sealer.unseal(blob, OWNER)).isEqualTo(SECRET);
        assertThat(blob[0]).isEqualTo(KeySealer.VERSION);
        assertThat(blob).hasSize(1 + 4 + 12 + SECRET.length + 16);
    }

    @Test
    void twoSealsOfTheSamePlaintextDiffer() {
        assertThat(sealer.seal(SECRET, OWNER)).isNotEqualTo(sealer.seal(SECRET, OWNER));
    }

    @Test
    void aWrongKekIsRejectedByName() {
        byte[] blob = sealer.seal(SECRET, OWNER);
        KeySealer other = KeySealer.fromBase64(KeySealer.generateKek());

        assertThatThrownBy(() -> other.unseal(blob, OWNER))
                .isInstanceOf(SealingException.class)
                .hasMessageContaining("another key-encryption key")
                .hasMessageContaining(sealer.kekId());
    }

    @Test
    void tamperedCiphertextFailsAuthentication() {
        byte[] blob = sealer.seal(SECRET, OWNER);
        blob[blob.length - 20] ^= 0x01;

        assertThatThrownBy(() -> sealer.unseal(blob, OWNER))
                .isInstanceOf(SealingException.class).hasMessageContaining("failed authentication");
    }

    @Test
    void aTamperedNonceOrTagFailsAuthentication() {
        byte[] nonceFlipped = sealer.seal(SECRET, OWNER);
        nonceFlipped[6] ^= 0x40;
        byte[] tagFlipped = sealer.seal(SECRET, OWNER);
        tagFlipped[tagFlipped.length - 1] ^= 0x01;

        assertThatThrownBy(() -> sealer.unseal(nonceFlipped, OWNER)).isInstanceOf(SealingException.class);
        assertThatThrownBy(() -> sealer.unseal(tagFlipped, OWNER)).isInstanceOf(SealingException.class);
    }

    @Test
    void aBlobCannotBeMovedToAnotherOwner() {
        byte[] blob = sealer.seal(SECRET, OWNER);

        assertThatThrownBy(() -> sealer.unseal(blob, "machine:00000000-1111-3222-8333-444444444444:tls-private-key"))
                .isInstanceOf(SealingException.class).hasMessageContaining("associated data");
    }

    @Test
    void truncatedAndUnknownVersionBlobsAreRejected() {
        byte[] blob = sealer.seal(SECRET, OWNER);
        byte[] version9 = blob.clone();
        version9[0] = 9;

        assertThatThrownBy(() -> sealer.unseal(java.util.Arrays.copyOf(blob, 20), OWNER))
                .isInstanceOf(SealingException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> sealer.unseal(version9, OWNER))
                .isInstanceOf(SealingException.class).hasMessageContaining("version 9");
    }

    @Test
    void theKekLoadsFromStandardAndUrlSafeBase64() {
        byte[] kek = new byte[32];
        for (int i = 0; i < kek.length; i++) {
            kek[i] = (byte) (0xf0 + i); // gives '+'/'/' vs '-'/'_' in the two alphabets
        }
        KeySealer fromStandard = KeySealer.fromBase64(Base64.getEncoder().encodeToString(kek));
        KeySealer fromUrlSafe = KeySealer.fromBase64(" " + Base64.getUrlEncoder().withoutPadding().encodeToString(kek) + "\n");

        assertThat(fromUrlSafe.unseal(fromStandard.seal(SECRET, OWNER), OWNER)).isEqualTo(SECRET);
        assertThat(Base64.getDecoder().decode(KeySealer.generateKek())).hasSize(KeySealer.KEK_BYTES);
    }

    @Test
    void aKekOfTheWrongSizeOrNotBase64IsRejected() {
        assertThatThrownBy(() -> KeySealer.fromBase64(Base64.getEncoder().encodeToString(new byte[16])))
                .isInstanceOf(SealingException.class).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> KeySealer.fromBase64("not base64 at all!"))
                .isInstanceOf(SealingException.class).hasMessageContaining("base64");
    }

    @Test
    void toStringShowsOnlyTheKekId() {
        String kek = KeySealer.generateKek();
        KeySealer sealer = KeySealer.fromBase64(kek);

        assertThat(sealer.toString()).doesNotContain(kek).doesNotContain(kek.substring(0, 12)).contains(sealer.kekId());
    }
}
