package com.ultracloud.deployer.projection.installplan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.machine.api.InstallPlanSummary;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.event.*;
import com.ultracloud.deployer.machine.api.query.FindInstallPlan;
import com.ultracloud.deployer.protocol.InstallPlan;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;

/**
 * Each machine's current install plan, from {@code InstallPlanIssued} (which carries the whole plan,
 * never a secret) and the install's outcome events. Reprovision and retire remove it. Rebuildable.
 */
@Component
@ProcessingGroup(InstallPlanProjection.PROCESSING_GROUP)
public class InstallPlanProjection {

    public static final String PROCESSING_GROUP = "install-plans";

    private final InstallPlanRowRepository rows;
    private final ObjectMapper json;

    InstallPlanProjection(InstallPlanRowRepository rows, ObjectMapper json) {
        this.rows = rows;
        this.json = json;
    }

    @EventHandler
    void on(InstallPlanIssued event, @SequenceNumber Long sequence, @Timestamp Instant at) {
        String id = event.machineId().toString();
        InstallPlanRow row = rows.findById(id).orElseGet(() -> new InstallPlanRow(id));
        if (row.planId() != null && row.version() >= sequence) {
            return;
        }
        InstallPlan plan = event.detail() != null ? event.detail() : fromSummary(event.plan());
        row.issue(event.plan().planId(), write(plan), at, sequence);
        rows.save(row);
    }

    @EventHandler
    void on(StateChanged event, @SequenceNumber Long sequence, @Timestamp Instant at) {
        String id = event.machineId().toString();
        if (removesPlan(event)) {
            rows.findById(id).ifPresent(rows::delete);
            return;
        }
        String status = status(event);
        if (status == null) {
            seen(id, sequence);
            return;
        }
        rows.findById(id).filter(r -> r.version() < sequence).ifPresent(r -> {
            r.status(status, at, sequence);
            rows.save(r);
        });
    }

    /**
     * Any other event of a machine with a plan: the row has seen it, so its {@code version} is the machine's
     * version this read model has folded (what {@code minVersion} reads compare with).
     */
    @EventHandler
    void on(MachineEvent event, @SequenceNumber Long sequence) {
        seen(event.machineId().toString(), sequence);
    }

    private void seen(String id, long sequence) {
        rows.findById(id).filter(r -> r.version() < sequence).ifPresent(r -> {
            r.seen(sequence);
            rows.save(r);
        });
    }

    /** This read model's rule: an event after which the machine has no plan here. */
    private static boolean removesPlan(Object event) {
        return event instanceof ReprovisionRequested || event instanceof MachineRetired || event instanceof MachineDiscovered;
    }

    /**
     * Whether this read model, having folded these events of one machine (oldest first), holds a plan for it:
     * lets a reader that waits for a version tell "no plan at that version" from "not folded yet".
     */
    public static boolean holdsPlanAfter(List<?> payloads) {
        boolean plan = false;
        for (Object event : payloads) {
            if (event instanceof InstallPlanIssued) {
                plan = true;
            } else if (removesPlan(event)) {
                plan = false;
            }
        }
        return plan;
    }

    @ResetHandler
    void reset() {
        rows.deleteAllInBatch();
    }

    @QueryHandler
    InstallPlanView handle(FindInstallPlan query) {
        return rows.findById(query.machineId().toString()).map(this::view).orElse(null);
    }

    /** Every row, ordered by machine id: lets a test compare a rebuilt projection with the live one. */
    public List<InstallPlanView> snapshot() {
        return rows.findAll(org.springframework.data.domain.Sort.by("machineId")).stream().map(this::view).toList();
    }

    private static String status(StateChanged event) {
        if (event instanceof InstallStarted) {
            return "installing";
        } else if (event instanceof InstallSucceeded) {
            return "succeeded";
        } else if (event instanceof InstallFailed e) {
            return e.state() == MachineState.FAILED ? "failed" : "retrying";
        } else if (event instanceof InstallAttemptAbandoned e) {
            return e.state() == MachineState.FAILED ? "failed" : "abandoned";
        } else if (event instanceof InstallTimedOut) {
            return "timed-out";
        } else if (event instanceof MachineMarkedFailed) {
            return "failed";
        }
        return null;
    }

    private static InstallPlan fromSummary(InstallPlanSummary s) {
        return new InstallPlan(s.planId(), s.intentGeneration(), s.installProfile(),
                InstallPlan.SystemRef.of(s.flake(), s.attribute()),
                new InstallPlan.RootDevice(s.rootDevicePath(), null, null, null), s.diskLayout(), null, null, null, null);
    }

    private InstallPlanView view(InstallPlanRow row) {
        try {
            return new InstallPlanView(row.machineId(), row.planId(), row.status(), row.issuedAt(), row.updatedAt(),
                    json.readValue(row.planJson(), InstallPlan.class), row.version());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("install plan row " + row.machineId() + " holds unreadable JSON", e);
        }
    }

    private String write(InstallPlan plan) {
        try {
            return json.writeValueAsString(plan);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise plan " + plan.planId(), e);
        }
    }
}
