package com.ultracloud.deployer.machine.api.rollout;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A host deployment's aggregate id, chosen by the caller (the intent import, e.g. {@code intent-web-2025-06},
 * or the REST API): lower-case letters, digits, '.', '_' and '-', at most 100 characters.
 */
public record DeploymentId(String value) {

    private static final Pattern SHAPE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    public DeploymentId {
        Objects.requireNonNull(value, "deployment id");
        if (!SHAPE.matcher(value).matches()) {
            throw new IllegalArgumentException("a deployment id is 1-100 of [a-z0-9._-], starting with a letter or digit: "
                    + value);
        }
    }

    @JsonCreator
    public static DeploymentId of(String value) {
        return new DeploymentId(value);
    }

    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
