package com.ultracloud.deployer.machine.api;

import com.ultracloud.deployer.protocol.InstallPlan;

/** The parts of an install plan that the event stream records (no secrets). */
public record InstallPlanSummary(String planId, Long intentGeneration, String installProfile, String flake,
                                 String attribute, String rootDevicePath, String diskLayout) {

    /** The summary of a full plan. */
    public static InstallPlanSummary of(InstallPlan plan) {
        return new InstallPlanSummary(plan.planId(), plan.intentGeneration(), plan.installProfile(),
                plan.system() == null ? null : plan.system().flake(),
                plan.system() == null ? null : plan.system().attribute(),
                plan.rootDevice() == null ? null : plan.rootDevice().path(), plan.diskLayout());
    }
}
