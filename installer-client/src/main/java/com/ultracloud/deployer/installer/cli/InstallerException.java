package com.ultracloud.deployer.installer.cli;

/**
 * A failure the user should read: printed by {@link Failures} as {@code code: detail} on stderr, the
 * process ends with {@code exitCode}.
 */
final class InstallerException extends RuntimeException {

    private final String code;
    private final int exitCode;

    InstallerException(String code, String detail, int exitCode) {
        super(detail);
        this.code = code;
        this.exitCode = exitCode;
    }

    String code() {
        return code;
    }

    int exitCode() {
        return exitCode;
    }
}
