package com.ultracloud.deployer.projection.inventory;

import com.ultracloud.deployer.machine.api.event.ActivationReported;
import com.ultracloud.deployer.machine.api.rollout.ActivationResult;
import com.ultracloud.deployer.machine.api.rollout.RolloutStatus;
import com.ultracloud.deployer.projection.inventory.MachineDetail.Health;
import com.ultracloud.deployer.projection.inventory.MachineDetail.LastActivation;
import com.ultracloud.deployer.projection.inventory.MachineDetail.Rollout;

import java.time.Instant;

/**
 * How an activation report changes a machine's rollout field and health. Only a report about the current
 * desired system ({@code current}) moves the status and the health, as in the Machine aggregate; a stale one is
 * kept as the last activation, for the audit, and changes nothing else.
 */
final class RolloutFold {

    /** Agent-supplied text is bounded in the read model whatever the API let through. */
    static final int MAX_TEXT = 1024;

    private RolloutFold() {
    }

    static Rollout reported(Rollout r, ActivationReported e, Instant at) {
        LastActivation last = new LastActivation(e.deploymentId() == null ? null : e.deploymentId().toString(),
                e.generation(), e.result().wireName(), bounded(e.runningSystem()), bounded(e.message()), e.current(), at);
        if (!e.current()) {
            return new Rollout(r.desiredSystem(), r.runningSystem(), r.status(), r.updatedAt(), r.deploymentId(),
                    r.generation(), r.target(), r.activation(), last);
        }
        String running = e.runningSystem() != null ? bounded(e.runningSystem()) : r.runningSystem();
        return new Rollout(r.desiredSystem(), running, MachineDetailFold.wire(RolloutStatus.after(e.result())), at,
                r.deploymentId(), r.generation(), r.target(), r.activation(), last);
    }

    /**
     * Health as the agent last reported it about the current system: {@code healthy}, or {@code unhealthy}
     * after a failed or rolled-back activation (the rollout counts such a machine as unavailable).
     * {@code started} and stale reports leave it.
     */
    static Health health(Health before, ActivationReported e, Instant at) {
        if (!e.current() || e.result() == ActivationResult.STARTED) {
            return before;
        }
        return switch (e.result()) {
            case HEALTHY -> new Health("healthy", "activation healthy", at);
            case FAILED -> new Health("unhealthy", bounded("activation failed: " + orNone(e.message())), at);
            case ROLLED_BACK -> new Health("unhealthy", bounded("rolled back: " + orNone(e.message())), at);
            case STARTED -> before;
        };
    }

    private static String orNone(String s) {
        return s == null || s.isBlank() ? "(no message)" : s;
    }

    static String bounded(String s) {
        return s == null || s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT) + "…";
    }
}
