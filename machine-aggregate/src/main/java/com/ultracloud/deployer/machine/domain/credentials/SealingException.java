package com.ultracloud.deployer.machine.domain.credentials;

/**
 * A sealed blob could not be opened (wrong key-encryption key, different associated data, tampered or
 * truncated bytes, unknown format version), or a key-encryption key is malformed. The message never
 * contains key material or plaintext.
 */
public class SealingException extends RuntimeException {

    public SealingException(String message) {
        super(message);
    }

    public SealingException(String message, Throwable cause) {
        super(message, cause);
    }
}
