package com.ultracloud.deployer.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** The answer to a progress report: the machine's lifecycle state after it (e.g. INSTALLED after {@code succeeded}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record InstallProgressAck(String machineId, String planId, String state) {
}
