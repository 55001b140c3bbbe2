package com.ultracloud.deployer.protocol.agent;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Set;

/**
 * The body of {@code POST /api/v1/agent/activation} (DESIGN §8.1): how the activation of deployment
 * {@code deploymentId}'s desired system at {@code generation} goes. {@code result} {@code started} is sent once per
 * step as the agent enters it ({@code step} names it: {@code build}, {@code set-profile}, {@code activate},
 * {@code health-check}, {@code reboot}); then exactly one of {@code healthy} (the new system passed its health
 * check and is the boot default), {@code failed} (it did not, and nothing was rolled back: rollback {@code none},
 * or the rollback itself failed) or {@code rolled-back} (the previous generation runs again), with {@code step} the
 * step that failed. {@code runningSystem} is the store path the node runs when it reports; {@code message} one
 * readable line.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ActivationReport(String deploymentId, String result, String runningSystem, Long generation, String message,
                               String step) {

    public static final String STARTED = "started";
    public static final String HEALTHY = "healthy";
    public static final String FAILED = "failed";
    public static final String ROLLED_BACK = "rolled-back";

    public ActivationReport {
        WireValues.required("deploymentId", deploymentId);
        WireValues.oneOf("result", result, Set.of(STARTED, HEALTHY, FAILED, ROLLED_BACK));
    }

    public static ActivationReport started(String deploymentId, long generation, String step, String runningSystem, String message) {
        return new ActivationReport(deploymentId, STARTED, runningSystem, generation, message, step);
    }

    /** True for the results that end an activation. */
    @JsonIgnore
    public boolean isFinal() {
        return !STARTED.equals(result);
    }
}
