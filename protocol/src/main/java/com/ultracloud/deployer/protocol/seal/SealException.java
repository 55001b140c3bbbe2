package com.ultracloud.deployer.protocol.seal;

/** Sealed plan secrets that cannot be opened (another key, tampered, another plan, an unknown suite). */
public class SealException extends RuntimeException {

    public SealException(String message) {
        super(message, null, false, false);
    }
}
