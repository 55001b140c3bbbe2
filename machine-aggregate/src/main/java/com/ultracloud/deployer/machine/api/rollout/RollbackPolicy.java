package com.ultracloud.deployer.machine.api.rollout;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;

/** What the nix-agent does when the new system fails to activate or to pass its health check in time. */
public enum RollbackPolicy {
    /** Switch back to the previous generation and report {@code rolled-back}. */
    AUTOMATIC,
    /** Leave the failed system in place for an operator and report {@code failed} (the intent's {@code manual}). */
    MANUAL;

    @JsonValue
    public String wireName() {
        return name().toLowerCase();
    }

    @JsonCreator
    public static RollbackPolicy fromWire(String name) {
        return Arrays.stream(values()).filter(v -> v.wireName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("rollback policy is automatic or manual, not " + name));
    }
}
