package com.ultracloud.deployer.machine.api;

import java.util.Arrays;
import java.util.Optional;

/**
 * The verbs of the lifecycle (DESIGN §3). {@code apiName} is the operator-facing name used in
 * {@code POST /api/v1/machines/{id}/{action}}; actions without one are driven by the installer,
 * the nix-agent, the install saga, the rollout saga, the directive saga or a deadline.
 */
public enum LifecycleAction {
    DISCOVER(null),
    INSPECT("inspect"),
    COMMISSION("commission"),
    REQUEST_INSTALL("install"),
    APPROVE_INSTALLER("approve-installer"),
    ISSUE_PLAN(null),
    FAIL_PLAN(null),
    START_INSTALL(null),
    REPORT_PROGRESS(null),
    COMPLETE_INSTALL(null),
    FAIL_INSTALL(null),
    TIME_OUT_INSTALL(null),
    ACTIVATE(null),
    SET_DESIRED_SYSTEM(null),
    REPORT_ACTIVATION(null),
    DRAIN("drain"),
    COMPLETE_DRAIN("complete-drain"),
    UNDRAIN("undrain"),
    REPROVISION("reprovision"),
    RESCUE("rescue"),
    EXIT_RESCUE("exit-rescue"),
    ACKNOWLEDGE_DIRECTIVE(null),
    FAIL_DIRECTIVE(null),
    MARK_FAILED("mark-failed"),
    RECOVER("recover"),
    RETIRE("retire");

    private final String apiName;

    LifecycleAction(String apiName) {
        this.apiName = apiName;
    }

    /** The path segment of the operator API, or empty when operators cannot invoke it directly. */
    public Optional<String> apiName() {
        return Optional.ofNullable(apiName);
    }

    /** The lower-case, hyphenated name used in error messages and docs, e.g. {@code request-install}. */
    public String wireName() {
        return name().toLowerCase().replace('_', '-');
    }

    public static Optional<LifecycleAction> fromApiName(String name) {
        return Arrays.stream(values()).filter(a -> name.equals(a.apiName)).findFirst();
    }
}
