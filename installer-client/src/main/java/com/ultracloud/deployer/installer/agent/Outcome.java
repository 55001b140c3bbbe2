package com.ultracloud.deployer.installer.agent;

/** How handling one desired system (or one pending confirm) ended, for the loop and {@code --once}'s exit code. */
public enum Outcome {
    /** The new system runs, passed its health check and is the boot default. */
    HEALTHY,
    /** The previous generation runs again. */
    ROLLED_BACK,
    /** Neither: nothing was rolled back (policy none), or the rollback failed too. */
    FAILED,
    /** A reboot was asked for (staged activation, or the rollback of one): the agent stops here. */
    REBOOTING,
    /** Already handled by an earlier run of the agent: nothing done. */
    ALREADY_HANDLED,
    /** A directive loaded the installer and {@code systemctl kexec} boots it: the agent stops here. */
    KEXEC;

    public boolean succeeded() {
        return this == HEALTHY || this == REBOOTING || this == ALREADY_HANDLED || this == KEXEC;
    }
}
