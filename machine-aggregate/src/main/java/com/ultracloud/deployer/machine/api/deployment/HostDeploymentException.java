package com.ultracloud.deployer.machine.api.deployment;

import com.ultracloud.deployer.machine.api.MachineErrorCode;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;

import java.util.List;
import java.util.stream.Collectors;

/** A command refused by the HostDeployment aggregate, naming the deployment, its state, the command and the allowed states. */
public class HostDeploymentException extends RuntimeException {

    private final HostDeploymentError error;

    public HostDeploymentException(HostDeploymentError error) {
        super(error.detail());
        this.error = error;
    }

    public HostDeploymentError error() {
        return error;
    }

    public static HostDeploymentException illegalTransition(DeploymentId id, DeploymentState state,
                                                            DeploymentAction action, List<DeploymentState> allowedFrom) {
        String allowed = allowedFrom.isEmpty() ? "no state"
                : allowedFrom.stream().map(Enum::name).collect(Collectors.joining(", "));
        String detail = "host deployment " + id + " is " + (state == null ? "not created" : state) + "; "
                + action.wireName() + " is allowed only from " + allowed;
        return new HostDeploymentException(new HostDeploymentError(MachineErrorCode.ILLEGAL_TRANSITION, str(id), state,
                action.wireName(), allowedFrom, detail));
    }

    public static HostDeploymentException conflict(DeploymentId id, DeploymentState state, DeploymentAction action,
                                                   String why) {
        String detail = "host deployment " + id + " is " + state + "; " + action.wireName() + " refused: " + why;
        return new HostDeploymentException(new HostDeploymentError(MachineErrorCode.CONFLICT, str(id), state,
                action.wireName(), null, detail));
    }

    public static HostDeploymentException invalid(DeploymentId id, DeploymentState state, DeploymentAction action,
                                                  String why) {
        String detail = action.wireName() + " of host deployment " + id + " is invalid: " + why;
        return new HostDeploymentException(new HostDeploymentError(MachineErrorCode.INVALID_COMMAND, str(id), state,
                action.wireName(), null, detail));
    }

    private static String str(DeploymentId id) {
        return id == null ? null : id.toString();
    }
}
