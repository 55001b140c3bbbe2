package com.ultracloud.deployer.machine.api;

/** The parts of an install plan that the event stream records (no secrets). */
public record InstallPlanSummary(String planId, Long intentGeneration, String installProfile, String flake,
                                 String attribute, String rootDevicePath, String diskLayout) {
}
