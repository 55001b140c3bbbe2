package com.ultracloud.deployer.projection.installplan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.ultracloud.deployer.protocol.InstallPlan;

import java.time.Instant;

/**
 * A machine's current install plan ({@code GET /api/v1/machines/{id}/install-plan}): the plan the
 * installer receives, never its secrets. {@code status}: issued, installing, succeeded, failed,
 * retrying, timed-out. {@code version}: the machine's version this read model has folded (for {@code minVersion}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InstallPlanView(String machineId, String planId, String status, Instant issuedAt, Instant updatedAt,
                              InstallPlan plan, Long version) {
}
