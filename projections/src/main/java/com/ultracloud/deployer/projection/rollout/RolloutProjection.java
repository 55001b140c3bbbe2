package com.ultracloud.deployer.projection.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentAborted;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentCreated;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentFailed;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentPaused;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentResumed;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentStarted;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentSucceeded;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentSuperseded;
import com.ultracloud.deployer.machine.api.deployment.MachineRolledOut;
import com.ultracloud.deployer.machine.api.deployment.MachineRolloutFailed;
import com.ultracloud.deployer.machine.api.deployment.SkippedMachine;
import com.ultracloud.deployer.machine.api.event.ActivationReported;
import com.ultracloud.deployer.machine.api.event.DesiredSystemSet;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Folds the HostDeployment events and the machines' rollout events ({@code DesiredSystemSet},
 * {@code ActivationReported}) into {@code rollout_deployment} and {@code rollout_machine} (V27). A deployment
 * event is folded once: the row keeps the deployment's last sequence number and a redelivered event at or below
 * it is skipped; the machine events only overwrite columns, so folding one twice changes nothing.
 */
@Component
@ProcessingGroup(RolloutProjection.PROCESSING_GROUP)
public class RolloutProjection {

    public static final String PROCESSING_GROUP = "rollout";
    static final String QUEUED = "queued";
    static final String ACTIVATING = "activating";
    static final String ROLLED_OUT = "rolled-out";
    static final String FAILED = "failed";
    static final String SUPERSEDED = "superseded";
    static final String SKIPPED = "skipped";
    /** Every phase a machine of a host deployment can be in. */
    public static final List<String> PHASES = List.of(QUEUED, ACTIVATING, ROLLED_OUT, FAILED, SUPERSEDED, SKIPPED);
    private static final int MAX_TEXT = 1000;

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;

    RolloutProjection(NamedParameterJdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @EventHandler
    void on(HostDeploymentCreated e, @SequenceNumber Long sequence, @Timestamp Instant at) {
        if (exists(e.deploymentId().toString())) {
            return;
        }
        jdbc.update("insert into rollout_deployment (deployment_id, generation, state, spec, created_at, updated_at, version)"
                        + " values (:id, :generation, :state, :spec, :at, :at, :version)",
                params(e.deploymentId().toString(), sequence, at).addValue("generation", e.generation())
                        .addValue("state", e.state().name()).addValue("spec", write(e.spec())));
    }

    @EventHandler
    void on(HostDeploymentStarted e, @SequenceNumber Long sequence, @Timestamp Instant at) {
        String id = e.deploymentId().toString();
        if (!advance(id, sequence, at, e.state().name(), null)) {
            return;
        }
        jdbc.update("update rollout_deployment set max_unavailable = :max where deployment_id = :id",
                new MapSqlParameterSource("id", id).addValue("max", e.maxUnavailable()));
        int position = 0;
        for (MachineId m : e.targets()) {
            insertMachine(id, m.toString(), position++, QUEUED, null, at);
        }
        for (SkippedMachine s : e.skipped()) {
            insertMachine(id, s.machineId().toString(), position++, SKIPPED, s.reason(), at);
        }
    }

    @EventHandler
    void on(HostDeploymentPaused e, @SequenceNumber Long sequence, @Timestamp Instant at) {
        advance(e.deploymentId().toString(), sequence, at, e.state().name(), e.reason());
    }

    @EventHandler
    void on(HostDeploymentResumed e, @SequenceNumber Long sequence, @Timestamp Instant at) {
        advance(e.deploymentId().toString(), sequence, at, e.state().name(), null);
    }

    @EventHandler
    void on(HostDeploymentAborted e, @SequenceNumber Long sequence, @Timestamp Instant at) {
        advance(e.deploymentId().toString(), sequence, at, e.state().name(),
                "aborted by " + e.by() + (e.reason() == null || e.reason().isBlank() ? "" : ": " + e.reason()));
    }

    @EventHandler
    void on(HostDeploymentSucceeded e, @SequenceNumber Long sequence, @Timestamp Instant at) {
        advance(e.deploymentId().toString(), sequence, at, e.state().name(), null);
    }

    @EventHandler
    void on(HostDeploymentFailed e, @SequenceNumber Long sequence, @Timestamp Instant at) {
        advance(e.deploymentId().toString(), sequence, at, e.state().name(), e.failures() + " of "
                + e.failureThreshold() + " allowed failures reached; " + e.unfinished() + " machine(s) left untouched");
    }

    @EventHandler
    void on(HostDeploymentSuperseded e, @SequenceNumber Long sequence, @Timestamp Instant at) {
        String id = e.deploymentId().toString();
        if (!advance(id, sequence, at, null, null)) {
            return;
        }
        String reason = "superseded by deployment " + e.supersededBy();
        for (MachineId m : e.machines()) {
            String machine = m.toString();
            // a PENDING deployment has no rows yet: the row says the machine is left out when it starts
            if (setPhase(id, machine, List.of(QUEUED, ACTIVATING), SUPERSEDED, reason, at) == 0) {
                insertMachine(id, machine, 1_000_000 + e.machines().indexOf(m), SUPERSEDED, reason, at);
            }
        }
    }

    @EventHandler
    void on(MachineRolledOut e, @SequenceNumber Long sequence, @Timestamp Instant at) {
        String id = e.deploymentId().toString();
        if (advance(id, sequence, at, null, null)) {
            jdbc.update("update rollout_machine set phase = :phase, running_system = coalesce(:running, running_system),"
                            + " updated_at = :at where deployment_id = :id and machine_id = :machine",
                    machine(id, e.machineId().toString(), at).addValue("phase", ROLLED_OUT)
                            .addValue("running", bounded(e.runningSystem())));
        }
    }

    @EventHandler
    void on(MachineRolloutFailed e, @SequenceNumber Long sequence, @Timestamp Instant at) {
        String id = e.deploymentId().toString();
        if (advance(id, sequence, at, null, null)) {
            jdbc.update("update rollout_machine set phase = :phase, reason = :reason, updated_at = :at"
                            + " where deployment_id = :id and machine_id = :machine",
                    machine(id, e.machineId().toString(), at).addValue("phase", FAILED).addValue("reason", bounded(e.reason())));
        }
    }

    /** The machine's desired system is this deployment's now: it is being activated. */
    @EventHandler
    void on(DesiredSystemSet e, @Timestamp Instant at) {
        String id = e.deploymentId().toString();
        jdbc.update("update rollout_machine set desired_system = :desired, updated_at = :at,"
                        + " phase = case when phase = :queued then :activating else phase end"
                        + " where deployment_id = :id and machine_id = :machine",
                machine(id, e.machineId().toString(), at).addValue("desired", bounded(e.system().describe()))
                        .addValue("queued", QUEUED).addValue("activating", ACTIVATING));
    }

    /** The agent's report about this deployment (stale or not: it is what the agent said about it). */
    @EventHandler
    void on(ActivationReported e, @Timestamp Instant at) {
        if (e.deploymentId() == null) {
            return;
        }
        jdbc.update("update rollout_machine set last_result = :result, last_message = :message,"
                        + " running_system = coalesce(:running, running_system), updated_at = :at"
                        + " where deployment_id = :id and machine_id = :machine",
                machine(e.deploymentId().toString(), e.machineId().toString(), at)
                        .addValue("result", e.result().wireName()).addValue("message", bounded(e.message()))
                        .addValue("running", bounded(e.runningSystem())));
    }

    @ResetHandler
    void reset() {
        jdbc.update("delete from rollout_machine", new MapSqlParameterSource());
        jdbc.update("delete from rollout_deployment", new MapSqlParameterSource());
    }

    private boolean exists(String id) {
        Integer n = jdbc.queryForObject("select count(*) from rollout_deployment where deployment_id = :id",
                new MapSqlParameterSource("id", id), Integer.class);
        return n != null && n > 0;
    }

    /**
     * Moves the deployment's row to {@code sequence} (and {@code state}, {@code reason} when given); false when the
     * row already holds this event (a redelivery) or does not exist.
     */
    private boolean advance(String id, long sequence, Instant at, String state, String reason) {
        return jdbc.update("update rollout_deployment set version = :version, updated_at = :at,"
                        + " state = coalesce(:state, state), reason = coalesce(:reason, reason)"
                        + " where deployment_id = :id and version < :version",
                params(id, sequence, at).addValue("state", state).addValue("reason", bounded(reason))) == 1;
    }

    private int setPhase(String id, String machine, List<String> from, String phase, String reason, Instant at) {
        return jdbc.update("update rollout_machine set phase = :phase, reason = :reason, updated_at = :at"
                        + " where deployment_id = :id and machine_id = :machine and phase in (:from)",
                machine(id, machine, at).addValue("phase", phase).addValue("reason", reason).addValue("from", from));
    }

    private void insertMachine(String id, String machine, int position, String phase, String reason, Instant at) {
        Integer n = jdbc.queryForObject("select count(*) from rollout_machine where deployment_id = :id and machine_id = :machine",
                machine(id, machine, at), Integer.class);
        if (n != null && n > 0) {
            return; // superseded while PENDING: it stays superseded
        }
        jdbc.update("insert into rollout_machine (deployment_id, machine_id, position, phase, reason, updated_at)"
                        + " values (:id, :machine, :position, :phase, :reason, :at)",
                machine(id, machine, at).addValue("position", position).addValue("phase", phase)
                        .addValue("reason", bounded(reason)));
    }

    private static MapSqlParameterSource params(String id, long sequence, Instant at) {
        return new MapSqlParameterSource("id", id).addValue("version", sequence).addValue("at", at.atOffset(ZoneOffset.UTC));
    }

    private static MapSqlParameterSource machine(String id, String machine, Instant at) {
        return new MapSqlParameterSource("id", id).addValue("machine", machine).addValue("at", at.atOffset(ZoneOffset.UTC));
    }

    private String write(Object spec) {
        try {
            return json.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a host deployment's spec as JSON", e);
        }
    }

    static String bounded(String s) {
        return s == null || s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT - 1) + "…";
    }
}
