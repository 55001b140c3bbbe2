package com.ultracloud.deployer.protocol.seal;

import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The installer's X25519 key pair: made in RAM when the installer boots, its public half sent with every
 * discover ({@code installer.publicKey}); the plan's secrets are sealed to it. {@link #toString()} shows
 * the fingerprint only.
 */
public final class InstallerKey {

    /** Raw X25519 keys are this long (RFC 7748). */
    public static final int KEY_BYTES = 32;

    private final X25519PrivateKeyParameters privateKey;
    private final byte[] publicKey;

    private InstallerKey(X25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
        this.publicKey = privateKey.generatePublicKey().getEncoded();
    }

    public static InstallerKey generate() {
        return generate(new SecureRandom());
    }

    public static InstallerKey generate(SecureRandom random) {
        return new InstallerKey(new X25519PrivateKeyParameters(Objects.requireNonNull(random, "random")));
    }

    /** The key pair of a raw 32-byte private key (as {@link #privateKeyBytes()} gave it). */
    public static InstallerKey fromPrivateKey(byte[] raw) {
        if (raw == null || raw.length != KEY_BYTES) {
            throw new IllegalArgumentException("an X25519 private key is " + KEY_BYTES + " bytes");
        }
        return new InstallerKey(new X25519PrivateKeyParameters(raw, 0));
    }

    /** A copy of the raw private key: only for keeping it in RAM (tmpfs) across restarts of the installer. */
    public byte[] privateKeyBytes() {
        return privateKey.getEncoded();
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** What discover sends as {@code installer.publicKey}: the raw public key, standard base64. */
    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicKey);
    }

    /** {@code sha256:} + hex of the raw public key: what events, logs and the console show. */
    public String fingerprint() {
        return fingerprintOf(publicKey);
    }

    X25519PrivateKeyParameters privateKeyParameters() {
        return privateKey;
    }

    public static String fingerprintOf(byte[] publicKey) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(publicKey));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /**
     * The raw public key of {@code installer.publicKey}: standard base64 of 32 bytes that make a usable
     * X25519 key (not one of the small-order points, with which every shared secret would be zero).
     *
     * @throws IllegalArgumentException with a reason fit for a field error
     */
    public static byte[] parsePublicKey(String base64) {
        if (base64 == null || base64.isBlank()) {
            throw new IllegalArgumentException("is required");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.strip().getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be standard base64");
        }
        if (raw.length != KEY_BYTES) {
            throw new IllegalArgumentException("must be a raw X25519 public key of " + KEY_BYTES + " bytes, got " + raw.length);
        }
        try {
            X25519Agreement probe = new X25519Agreement();
            probe.init(new X25519PrivateKeyParameters(new SecureRandom()));
            byte[] secret = new byte[probe.getAgreementSize()];
            probe.calculateAgreement(new X25519PublicKeyParameters(raw, 0), secret, 0);
            Arrays.fill(secret, (byte) 0);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("is not a usable X25519 public key (a small-order point)");
        }
        return raw;
    }

    @Override
    public String toString() {
        return "InstallerKey[" + fingerprint() + ", privateKey=(redacted)]";
    }
}
