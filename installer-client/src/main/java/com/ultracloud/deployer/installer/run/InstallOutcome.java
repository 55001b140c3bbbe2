package com.ultracloud.deployer.installer.run;

/**
 * How one installer run ended. {@code state} is the deployer's last word on the machine (e.g.
 * {@code INSTALLED}, {@code INSTALL_PENDING} after a failed attempt with attempts left, {@code FAILED});
 * {@code failure} is why this run did not install (null on success).
 */
public record InstallOutcome(Result result, String machineId, String hostname, String state, String rootDevice,
                             int attempts, String failure) {

    public enum Result {
        /** Installed and rebooted (or, with --dry-run, every command printed). */
        INSTALLED,
        /** An install attempt failed (reported to the deployer). */
        INSTALL_FAILED,
        /** The machine reached a state the caller asked to stop at (the lab: FAILED). */
        STOPPED,
        /** The caller's deadline passed while waiting. */
        TIMED_OUT,
        /** An operator ended the rescue of an installed machine; it reboots into its own system. */
        RESCUE_ENDED
    }

    public boolean installed() {
        return result == Result.INSTALLED;
    }
}
