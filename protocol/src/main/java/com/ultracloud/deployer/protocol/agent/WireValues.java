package com.ultracloud.deployer.protocol.agent;

import java.util.Set;

/** Checks of enumerated wire values, with messages that name the field and the allowed values. */
final class WireValues {

    private WireValues() {
    }

    static String oneOf(String field, String value, Set<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            throw new IllegalArgumentException(field + " must be one of " + String.join(", ", allowed.stream().sorted().toList())
                    + ", not " + (value == null ? "null" : "'" + value + "'"));
        }
        return value;
    }

    static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    static int positive(String field, Integer value, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be a positive number of seconds, not " + value);
        }
        return value;
    }
}
