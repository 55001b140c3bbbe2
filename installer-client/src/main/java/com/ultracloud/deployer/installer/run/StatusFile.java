package com.ultracloud.deployer.installer.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * {@code /run/ultracloud/status} (under {@code --root}): what the console shows (nix/iso: getty help
 * line and login shells cat it) — machine id, state and what the installer waits for.
 */
public final class StatusFile {

    private final Path file;
    private final String installerKey;

    public StatusFile(Path file) {
        this(file, null);
    }

    private StatusFile(Path file, String installerKey) {
        this.file = file;
        this.installerKey = installerKey;
    }

    /** The same file, also naming this boot's installer key (what an operator approving a rebind compares). */
    public StatusFile withInstallerKey(String fingerprint) {
        return new StatusFile(file, fingerprint);
    }

    public static StatusFile under(Path root) {
        return new StatusFile(root.resolve("run/ultracloud/status"));
    }

    public Path path() {
        return file;
    }

    /** Best effort: a status file that cannot be written never stops an install. */
    public void write(String machineId, String state, String doing) {
        String text = "machine: " + (machineId == null ? "(not known yet)" : machineId) + "\n"
                + "state:   " + (state == null ? "-" : state) + "\n"
                + "now:     " + doing + "\n"
                + (installerKey == null ? "" : "key:     " + installerKey + "\n")
                + "updated: " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n";
        try {
            TargetFiles.write(file, text.getBytes(StandardCharsets.UTF_8), "rw-r--r--");
        } catch (IOException | RuntimeException e) {
            // the console line says the same
        }
    }
}
