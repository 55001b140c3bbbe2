package com.ultracloud.deployer.machine.lifecycle;

/**
 * A guard on a host-deployment transition. The aggregate reports which hold; the table picks the first row
 * whose guard holds (rows are listed in precedence order).
 */
public enum DeploymentCondition {
    ALWAYS("always"),
    TARGETS_FOUND("at least one machine is to be rolled out"),
    NO_TARGETS("no machine is to be rolled out"),
    ALREADY_RECORDED("the machine's outcome is already recorded"),
    NOTHING_COVERED("none of the machines is still the deployment's to roll out"),
    THRESHOLD_REACHED("this failure reaches the failure threshold"),
    LAST_MACHINE("no machine is left to roll out afterwards"),
    MACHINES_REMAIN("machines are left to roll out afterwards");

    private final String description;

    DeploymentCondition(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
