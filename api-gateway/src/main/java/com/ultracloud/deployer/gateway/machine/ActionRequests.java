package com.ultracloud.deployer.gateway.machine;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.Map;

/** Optional JSON bodies of operator actions (DESIGN §8.1). */
final class ActionRequests {

    static final String HOSTNAME = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";

    private ActionRequests() {
    }

    /**
     * Commission: every field is optional. Omitted fields come from the matching node or enrollment
     * rule; given ones override it. With nodeClass, pool and hostname all given no match is needed.
     */
    record Commission(@Size(min = 1, max = 64) String nodeClass,
                      @Size(min = 1, max = 64) String pool,
                      @Pattern(regexp = HOSTNAME, message = "must be a lower-case DNS label") String hostname,
                      @Size(max = 128) String nodeId,
                      @Size(max = 64) Map<@NotBlank @Size(max = 63) String, @Size(max = 256) String> labels) {
    }

    /** Inspect: {@code nodeClass} names the class whose minimum traits to check (default: the matching one). */
    record Inspect(@Size(min = 1, max = 64) String nodeClass) {
    }

    record Install(@Min(1) @Max(20) Integer attemptLimit) {
    }

    record Reprovision(Boolean force) {
    }

    /**
     * Approve-installer: {@code installerKey}, when given, must be the fingerprint of the key awaiting approval
     * (as the installer prints it on the machine's console), so the operator approves what they checked.
     */
    record ApproveInstaller(@Pattern(regexp = "sha256:[0-9a-f]{64}", message = "must be sha256: and 64 hex digits")
                            String installerKey) {
    }

    record MarkFailed(@Size(max = 2000) String reason) {
    }

    /** Actions that take no body: whatever is sent is ignored. */
    record None() {
    }
}
