package com.ultracloud.deployer.machine.domain.enrollment;

import java.util.Objects;

/**
 * Whether a commissioned machine's install is requested without an operator ({@code automatic}), and
 * {@code reason}, one sentence for the machine detail: e.g. "waits for an operator to request the
 * install: rule storage-hdd does not install automatically (autoInstall = false)".
 */
public record AutoInstall(boolean automatic, String reason) {

    static final String WAITS = "waits for an operator to request the install: ";

    public AutoInstall {
        Objects.requireNonNull(reason, "reason");
    }

    static AutoInstall installs(String why) {
        return new AutoInstall(true, why);
    }

    static AutoInstall waits(String why) {
        return new AutoInstall(false, WAITS + why);
    }
}
