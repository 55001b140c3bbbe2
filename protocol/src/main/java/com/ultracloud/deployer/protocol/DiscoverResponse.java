package com.ultracloud.deployer.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The deployer's answer to discover. {@code installToken} is present only while the machine is
 * install-pending (and only to the installer whose key the plan is sealed to); {@code pollAfterSeconds}
 * tells the installer when to ask again; {@code message}, when present, says why there is no token or
 * what the machine waits for (e.g. an operator's approval of a new installer key). {@code version}: the
 * machine's version after this discover (the sequence number of its last event; docs/api.md).
 * <p>
 * {@code POST /api/v1/bootstrap/discover?wait=30s} long-polls: while the instruction is {@code wait}, the
 * deployer holds the answer until it changes or the wait is over (an older deployer answers at once).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DiscoverResponse(String machineId, String state, String installToken, int pollAfterSeconds,
                               String instruction, String message, Long version) {

    public DiscoverResponse(String machineId, String state, String installToken, int pollAfterSeconds, String instruction) {
        this(machineId, state, installToken, pollAfterSeconds, instruction, null, null);
    }

    public DiscoverResponse(String machineId, String state, String installToken, int pollAfterSeconds, String instruction,
                            String message) {
        this(machineId, state, installToken, pollAfterSeconds, instruction, message, null);
    }
}
