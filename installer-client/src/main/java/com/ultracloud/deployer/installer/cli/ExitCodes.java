package com.ultracloud.deployer.installer.cli;

/** Process exit codes of {@code installer} (sysexits.h values where one fits). */
final class ExitCodes {

    /** Done. */
    static final int OK = 0;
    /** The requested work failed (e.g. an install step). */
    static final int FAILED = 1;
    /** Bad command line or option value (picocli's own usage errors use this too). */
    static final int USAGE = 2;
    /** An unexpected error inside the installer: a bug. */
    static final int SOFTWARE = 70;

    private ExitCodes() {
    }
}
