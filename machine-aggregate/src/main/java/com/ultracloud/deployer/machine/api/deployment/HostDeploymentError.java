package com.ultracloud.deployer.machine.api.deployment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.ultracloud.deployer.machine.api.MachineErrorCode;

import java.util.List;

/**
 * The details of a command the HostDeployment aggregate refused; travels inside Axon's
 * {@code CommandExecutionException} like {@link com.ultracloud.deployer.machine.api.MachineError}, with the
 * same codes (and so the same HTTP statuses).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HostDeploymentError(MachineErrorCode code, String deploymentId, DeploymentState currentState,
                                  String command, List<DeploymentState> allowedFrom, String detail) {
}
