package com.ultracloud.deployer.machine.api.deployment;

import java.util.Arrays;
import java.util.Optional;

/**
 * The verbs of a host deployment. {@code apiName} is the operator-facing name in
 * {@code POST /api/v1/host-deployments/{id}/{action}}; the others are sent by the intent import, the REST
 * create call or the rollout saga.
 */
public enum DeploymentAction {
    CREATE(null),
    START(null),
    PAUSE("pause"),
    RESUME("resume"),
    ABORT("abort"),
    RECORD_ROLLED_OUT(null),
    RECORD_ROLLOUT_FAILED(null),
    SUPERSEDE(null);

    private final String apiName;

    DeploymentAction(String apiName) {
        this.apiName = apiName;
    }

    public Optional<String> apiName() {
        return Optional.ofNullable(apiName);
    }

    /** Lower-case, hyphenated, for errors and docs, e.g. {@code record-rolled-out}. */
    public String wireName() {
        return name().toLowerCase().replace('_', '-');
    }

    public static Optional<DeploymentAction> fromApiName(String name) {
        return Arrays.stream(values()).filter(a -> name.equals(a.apiName)).findFirst();
    }
}
