package com.ultracloud.deployer.installer.run;

import com.ultracloud.deployer.protocol.seal.InstallerKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;

/**
 * The installer's X25519 key for this boot (DESIGN §10). Made in RAM at the first start and kept in
 * {@code /run/ultracloud/installer.key} — tmpfs, root only (0600) — so that a restart of the installer
 * service after a failed attempt keeps it (the deployer would otherwise see a new installer), while a
 * reboot makes a new one.
 */
public final class InstallerKeyFile {

    private InstallerKeyFile() {
    }

    /** The key in {@code file}; a new one (written there) when there is none or it is unreadable. */
    public static InstallerKey loadOrCreate(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                byte[] raw = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
                try {
                    return InstallerKey.fromPrivateKey(raw);
                } finally {
                    Arrays.fill(raw, (byte) 0);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // unreadable or damaged: a new key, as after a reboot
        }
        InstallerKey key = InstallerKey.generate();
        byte[] raw = key.privateKeyBytes();
        try {
            TargetFiles.write(file, (Base64.getEncoder().encodeToString(raw) + "\n").getBytes(StandardCharsets.US_ASCII), "rw-------");
        } catch (IOException | RuntimeException e) {
            // kept in memory only: a restart of the installer makes a new key, which the deployer handles as a rebind
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
        return key;
    }
}
