package com.ultracloud.deployer.protocol.seal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.protocol.BootstrapPlan;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Seals a plan's {@code secrets} to the installer's key and opens them again (docs/bootstrap.md, "Sealed
 * secrets"). HPKE base mode (RFC 9180 §5.1.1) with a fresh encapsulation per seal; {@code info} names this
 * use and its version; the associated data binds the ciphertext to one machine and one plan, so it cannot
 * be replayed into another plan's answer. The plaintext is the JSON of {@code {sshHostKey, tls, progressToken}}.
 */
public final class PlanSecretsSeal {

    public static final String KEM = "DHKEM-X25519-HKDF-SHA256";
    public static final String KDF = "HKDF-SHA256";
    public static final String AEAD = "AES-128-GCM";
    /** HPKE {@code info}: what the key schedule is for (RFC 9180 §5.1). */
    public static final String INFO = "ultracloud-deployer plan secrets v1";

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private PlanSecretsSeal() {
    }

    /** The associated data of a seal: {@code machine:<machineId>:plan:<planId>}. */
    public static String aad(String machineId, String planId) {
        return "machine:" + Objects.requireNonNull(machineId, "machineId") + ":plan:" + Objects.requireNonNull(planId, "planId");
    }

    /** {@code clear} (SSH host key, TLS material, progress token) sealed to {@code recipientPublicKey} (raw X25519). */
    public static BootstrapPlan.Sealed seal(BootstrapPlan.Secrets clear, byte[] recipientPublicKey, String machineId,
                                            String planId) {
        Objects.requireNonNull(clear, "clear");
        byte[] plaintext;
        try {
            plaintext = JSON.writeValueAsBytes(new BootstrapPlan.Secrets(clear.sshHostKey(), clear.tls(), clear.progressToken()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the plan's secrets", e);
        }
        try {
            HPKEContextWithEncapsulation context = suite().setupBaseS(
                    new X25519PublicKeyParameters(recipientPublicKey, 0), INFO.getBytes(StandardCharsets.US_ASCII));
            byte[] ciphertext = context.seal(aad(machineId, planId).getBytes(StandardCharsets.UTF_8), plaintext);
            Base64.Encoder b64 = Base64.getEncoder();
            return new BootstrapPlan.Sealed(KEM, KDF, AEAD, InstallerKey.fingerprintOf(recipientPublicKey),
                    b64.encodeToString(context.getEncapsulation()), b64.encodeToString(ciphertext));
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("HPKE seal failed", e);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * Opens what {@link #seal} sealed to {@code key} for this machine and plan.
     *
     * @throws SealException when the suite is not ours, the secrets are sealed to another key, or they fail
     *                       authentication (tampered, or sealed for another machine or plan)
     */
    public static BootstrapPlan.Secrets open(BootstrapPlan.Sealed sealed, InstallerKey key, String machineId, String planId) {
        Objects.requireNonNull(sealed, "sealed");
        Objects.requireNonNull(key, "key");
        if (!KEM.equals(sealed.kem()) || !KDF.equals(sealed.kdf()) || !AEAD.equals(sealed.aead())) {
            throw new SealException("the plan's secrets are sealed with an unknown suite (" + sealed.kem() + ", "
                    + sealed.kdf() + ", " + sealed.aead() + "); this installer knows " + KEM + ", " + KDF + ", " + AEAD);
        }
        if (sealed.recipient() != null && !sealed.recipient().equals(key.fingerprint())) {
            throw new SealException("the plan's secrets are sealed to installer key " + sealed.recipient()
                    + ", not to this installer's key " + key.fingerprint());
        }
        byte[] enc;
        byte[] ciphertext;
        try {
            enc = Base64.getDecoder().decode(Objects.requireNonNullElse(sealed.enc(), ""));
            ciphertext = Base64.getDecoder().decode(Objects.requireNonNullElse(sealed.ciphertext(), ""));
        } catch (IllegalArgumentException e) {
            throw new SealException("the plan's sealed secrets are not base64");
        }
        byte[] plaintext = openRaw(enc, ciphertext, key, INFO.getBytes(StandardCharsets.US_ASCII),
                aad(machineId, planId).getBytes(StandardCharsets.UTF_8));
        try {
            return JSON.readValue(plaintext, BootstrapPlan.Secrets.class);
        } catch (java.io.IOException e) {
            throw new SealException("the plan's opened secrets are not the expected JSON");
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** HPKE base-mode open with explicit {@code info} and associated data (the RFC's test vectors use their own). */
    static byte[] openRaw(byte[] enc, byte[] ciphertext, InstallerKey key, byte[] info, byte[] aad) {
        HPKE hpke = suite();
        if (enc.length != hpke.getEncSize()) {
            throw new SealException("the plan's sealed secrets carry an encapsulated key of " + enc.length
                    + " bytes, not " + hpke.getEncSize());
        }
        try {
            AsymmetricCipherKeyPair recipient = new AsymmetricCipherKeyPair(key.privateKeyParameters().generatePublicKey(),
                    key.privateKeyParameters());
            HPKEContext context = hpke.setupBaseR(enc, recipient, info);
            return context.open(aad, ciphertext);
        } catch (InvalidCipherTextException | IllegalStateException | IllegalArgumentException e) {
            throw new SealException("the plan's secrets cannot be opened with this installer's key: they were "
                    + "tampered with, or sealed for another key, machine or plan");
        }
    }

    /** A fresh suite object per use: Bouncy Castle's HPKE objects are not documented as thread-safe. */
    static HPKE suite() {
        return new HPKE(HPKE.mode_base, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_AES_GCM128);
    }
}
