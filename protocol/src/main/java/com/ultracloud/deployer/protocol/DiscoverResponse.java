package com.ultracloud.deployer.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The deployer's answer to discover. {@code installToken} is present only while the machine is
 * install-pending; {@code pollAfterSeconds} tells the installer when to ask again.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DiscoverResponse(String machineId, String state, String installToken, int pollAfterSeconds,
                               String instruction) {
}
