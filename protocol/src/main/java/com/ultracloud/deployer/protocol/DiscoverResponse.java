package com.ultracloud.deployer.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * The deployer's answer to discover. {@code installToken} is present only while the machine is
 * install-pending (and only to the installer whose key the plan is sealed to); {@code pollAfterSeconds}
 * tells the installer when to ask again; {@code message}, when present, says why there is no token or
 * what the machine waits for (e.g. an operator's approval of a new installer key). {@code version}: the
 * machine's version after this discover (the sequence number of its last event; docs/api.md).
 * {@code operatorSshKeys}: with the {@code rescue} instruction only, the public keys of the intent's operators
 * that the rescue environment lets in (issue 11).
 * <p>
 * {@code POST /api/v1/bootstrap/discover?wait=30s} long-polls: while the instruction is {@code wait}, the
 * deployer holds the answer until it changes or the wait is over (an older deployer answers at once).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DiscoverResponse(String machineId, String state, String installToken, int pollAfterSeconds,
                               String instruction, String message, Long version, List<String> operatorSshKeys) {

    public DiscoverResponse(String machineId, String state, String installToken, int pollAfterSeconds, String instruction,
                            String message, Long version) {
        this(machineId, state, installToken, pollAfterSeconds, instruction, message, version, null);
    }

    public DiscoverResponse(String machineId, String state, String installToken, int pollAfterSeconds, String instruction) {
        this(machineId, state, installToken, pollAfterSeconds, instruction, null, null, null);
    }

    public DiscoverResponse(String machineId, String state, String installToken, int pollAfterSeconds, String instruction,
                            String message) {
        this(machineId, state, installToken, pollAfterSeconds, instruction, message, null, null);
    }
}
