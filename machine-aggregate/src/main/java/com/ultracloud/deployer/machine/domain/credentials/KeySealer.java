package com.ultracloud.deployer.machine.domain.credentials;

import org.bouncycastle.util.Arrays;
import org.bouncycastle.util.encoders.Hex;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * Seals private material at rest with AES-256-GCM under a key-encryption key (KEK) from configuration.
 *
 * <p>Blob layout (version 1):
 * <pre>
 *   0      1            5                17
 *   | 0x01 | kek id (4) | nonce (12)      | ciphertext ‖ GCM tag (16) |
 * </pre>
 * The header (version, KEK id, nonce) and the caller's associated data (e.g. {@code machine:<id>:tls})
 * are authenticated as GCM additional data, so a blob cannot be moved to another owner's record or
 * re-labelled. The KEK id is the first four bytes of {@code SHA-256("ultracloud-kek-id" ‖ KEK)}: it
 * reveals nothing useful about the KEK, but lets {@link #unseal} tell "sealed under another KEK"
 * (e.g. after a rotation) from "tampered". A fresh random 96-bit nonce is drawn for every seal.
 *
 * <p>Thread-safe. {@link #toString()} shows only the KEK id.
 */
public final class KeySealer {

    /** Format version written by {@link #seal}. */
    public static final byte VERSION = 1;
    /** AES-256: the KEK is exactly this many bytes. */
    public static final int KEK_BYTES = 32;

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int KEK_ID_BYTES = 4;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int HEADER_BYTES = 1 + KEK_ID_BYTES + NONCE_BYTES;
    private static final int MIN_BLOB_BYTES = HEADER_BYTES + TAG_BITS / 8;

    private final SecretKeySpec kek;
    private final byte[] kekId;
    private final SecureRandom random;

    /** A sealer over a copy of {@code kek} (32 bytes); nonces from a new {@link SecureRandom}. */
    public KeySealer(byte[] kek) {
        this(kek, new SecureRandom());
    }

    public KeySealer(byte[] kek, SecureRandom random) {
        Objects.requireNonNull(kek, "kek");
        if (kek.length != KEK_BYTES) {
            throw new SealingException("a key-encryption key must be " + KEK_BYTES + " bytes (AES-256), got " + kek.length);
        }
        this.kek = new SecretKeySpec(kek, "AES");
        this.kekId = kekId(kek);
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Loads a KEK given as base64 (standard or URL-safe alphabet, padding optional), e.g. from configuration. */
    public static KeySealer fromBase64(String base64Kek) {
        Objects.requireNonNull(base64Kek, "base64Kek");
        String text = base64Kek.strip();
        byte[] kek;
        try {
            kek = (text.indexOf('-') >= 0 || text.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
        } catch (IllegalArgumentException e) {
            throw new SealingException("the key-encryption key is not valid base64");
        }
        try {
            return new KeySealer(kek);
        } finally {
            java.util.Arrays.fill(kek, (byte) 0);
        }
    }

    /** A new random 32-byte KEK, base64 (standard alphabet, padded): what an operator puts in configuration. */
    public static String generateKek() {
        byte[] kek = new byte[KEK_BYTES];
        new SecureRandom().nextBytes(kek);
        try {
            return Base64.getEncoder().encodeToString(kek);
        } finally {
            java.util.Arrays.fill(kek, (byte) 0);
        }
    }

    /** The KEK's public 4-byte id as hex: safe to log, tells which KEK sealed a blob. */
    public String kekId() {
        return Hex.toHexString(kekId);
    }

    /**
     * Seals {@code plaintext}, bound to {@code associatedData} (the owner, e.g. {@code machine:<id>:ssh}).
     * Two seals of the same plaintext differ (fresh nonce).
     */
    public byte[] seal(byte[] plaintext, String associatedData) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] header = new byte[HEADER_BYTES];
        header[0] = VERSION;
        System.arraycopy(kekId, 0, header, 1, KEK_ID_BYTES);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        System.arraycopy(nonce, 0, header, 1 + KEK_ID_BYTES, NONCE_BYTES);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(header, associatedData));
            byte[] blob = new byte[HEADER_BYTES + cipher.getOutputSize(plaintext.length)];
            System.arraycopy(header, 0, blob, 0, HEADER_BYTES);
            cipher.doFinal(plaintext, 0, plaintext.length, blob, HEADER_BYTES);
            return blob;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /** {@link #seal(byte[], String)} of the UTF-8 bytes of {@code plaintext}. */
    public byte[] sealString(String plaintext, String associatedData) {
        return seal(plaintext.getBytes(StandardCharsets.UTF_8), associatedData);
    }

    /**
     * Opens a blob sealed by {@link #seal} under the same KEK and the same associated data.
     *
     * @throws SealingException when the blob is malformed, of an unknown version, sealed under another
     *                          KEK, or fails authentication (tampered, or other associated data)
     */
    public byte[] unseal(byte[] blob, String associatedData) {
        Objects.requireNonNull(blob, "blob");
        if (blob.length < MIN_BLOB_BYTES) {
            throw new SealingException("sealed blob is truncated: " + blob.length + " bytes, at least " + MIN_BLOB_BYTES + " expected");
        }
        if (blob[0] != VERSION) {
            throw new SealingException("sealed blob has unknown format version " + (blob[0] & 0xff) + " (expected " + VERSION + ")");
        }
        byte[] header = Arrays.copyOfRange(blob, 0, HEADER_BYTES);
        byte[] blobKekId = Arrays.copyOfRange(header, 1, 1 + KEK_ID_BYTES);
        if (!MessageDigest.isEqual(blobKekId, kekId)) {
            throw new SealingException("sealed blob was sealed under another key-encryption key (id "
                    + Hex.toHexString(blobKekId) + "; this sealer's KEK id is " + kekId() + ")");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, blob, 1 + KEK_ID_BYTES, NONCE_BYTES));
            cipher.updateAAD(aad(header, associatedData));
            return cipher.doFinal(blob, HEADER_BYTES, blob.length - HEADER_BYTES);
        } catch (AEADBadTagException e) {
            throw new SealingException("sealed blob failed authentication: it was tampered with, or sealed for other "
                    + "associated data (another owner), or under another key-encryption key");
        } catch (GeneralSecurityException e) {
            throw new SealingException("sealed blob cannot be opened: " + e.getClass().getSimpleName());
        }
    }

    /** {@link #unseal} decoded as UTF-8. */
    public String unsealString(byte[] blob, String associatedData) {
        byte[] plain = unseal(blob, associatedData);
        try {
            return new String(plain, StandardCharsets.UTF_8);
        } finally {
            java.util.Arrays.fill(plain, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "KeySealer[AES-256-GCM, kekId=" + kekId() + "]";
    }

    /** header ‖ len(ad) ‖ ad: the length prefix keeps (header, ad) pairs unambiguous. */
    private static byte[] aad(byte[] header, String associatedData) {
        byte[] ad = Objects.requireNonNull(associatedData, "associatedData").getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(header.length + 4 + ad.length).put(header).putInt(ad.length).put(ad).array();
    }

    private static byte[] kekId(byte[] kek) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update("ultracloud-kek-id".getBytes(StandardCharsets.US_ASCII));
            return Arrays.copyOf(sha256.digest(kek), KEK_ID_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
