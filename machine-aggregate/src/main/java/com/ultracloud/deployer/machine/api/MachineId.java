package com.ultracloud.deployer.machine.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/** A machine's aggregate id: a name-based UUID of its stable hardware fingerprint. */
public record MachineId(UUID value) {

    public MachineId {
        Objects.requireNonNull(value, "machine id");
    }

    /** Name-based (v3) UUID, so the same fingerprint always lands on the same aggregate. */
    public static MachineId ofFingerprint(String fingerprint) {
        return new MachineId(UUID.nameUUIDFromBytes(fingerprint.getBytes(StandardCharsets.UTF_8)));
    }

    @JsonCreator
    public static MachineId parse(String text) {
        return new MachineId(UUID.fromString(text));
    }

    @JsonValue
    @Override
    public String toString() {
        return value.toString();
    }
}
