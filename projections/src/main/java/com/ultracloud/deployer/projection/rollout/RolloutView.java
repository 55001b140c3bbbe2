package com.ultracloud.deployer.projection.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.machine.api.deployment.DeploymentState;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentSpec;
import com.ultracloud.deployer.machine.api.deployment.MachineSelector;
import com.ultracloud.deployer.projection.rollout.DeploymentView.Counts;
import com.ultracloud.deployer.projection.rollout.DeploymentView.MachineView;
import com.ultracloud.deployer.projection.rollout.DeploymentView.Progress;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads of the rollout read model. Every read is by key or a keyed range: one deployment (its row, its machines
 * by the primary key's prefix), a page of deployments (with the counts of that page only), and the unfinished
 * claims on a set of machines (the {@code machine_id} index).
 */
@Component
public class RolloutView {

    private static final String COLUMNS = "deployment_id, generation, state, spec, max_unavailable, reason, created_at,"
            + " updated_at, version";

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;

    RolloutView(NamedParameterJdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** One deployment with its machines in rollout order. */
    public Optional<DeploymentView> find(String deploymentId) {
        List<DeploymentView> rows = jdbc.query("select " + COLUMNS + " from rollout_deployment where deployment_id = :id",
                new MapSqlParameterSource("id", deploymentId), (rs, i) -> row(rs));
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        List<MachineView> machines = jdbc.query("select machine_id, phase, reason, desired_system, running_system, last_result,"
                        + " last_message, updated_at from rollout_machine where deployment_id = :id order by position, machine_id",
                new MapSqlParameterSource("id", deploymentId), (rs, i) -> new MachineView(rs.getString(1), rs.getString(2),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), instant(rs, 8)));
        return Optional.of(withCounts(List.of(rows.get(0))).get(0).withMachines(machines));
    }

    /** A page of deployments, newest first, optionally only those in {@code states}. */
    public record Page(List<DeploymentView> items, int page, int size, long total) {
    }

    public Page list(Collection<DeploymentState> states, int page, int size) {
        MapSqlParameterSource p = new MapSqlParameterSource();
        String where = "";
        if (states != null && !states.isEmpty()) {
            where = " where state in (:states)";
            p.addValue("states", states.stream().map(Enum::name).toList());
        }
        Long total = jdbc.queryForObject("select count(*) from rollout_deployment" + where, p, Long.class);
        List<DeploymentView> rows = jdbc.query("select " + COLUMNS + " from rollout_deployment" + where
                + " order by created_at desc, deployment_id offset " + ((long) page * size) + " rows fetch next " + size
                + " rows only", p, (rs, i) -> row(rs));
        return new Page(withCounts(rows), page, size, total == null ? 0 : total);
    }

    /** A started deployment that still owns a machine (queued or being activated), with its generation. */
    public record StartedClaim(String deploymentId, long generation, String machineId) {
    }

    /** The unfinished started deployments (IN_PROGRESS, PAUSED) other than {@code except} that own any of {@code machineIds}. */
    public List<StartedClaim> startedClaims(String except, Collection<String> machineIds) {
        List<StartedClaim> out = new ArrayList<>();
        for (List<String> chunk : chunks(machineIds)) {
            out.addAll(jdbc.query("select m.deployment_id, d.generation, m.machine_id from rollout_machine m"
                            + " join rollout_deployment d on d.deployment_id = m.deployment_id"
                            + " where m.machine_id in (:ids) and m.phase in ('" + RolloutProjection.QUEUED + "', '"
                            + RolloutProjection.ACTIVATING + "') and d.state in ('IN_PROGRESS', 'PAUSED')"
                            + " and m.deployment_id <> :except",
                    new MapSqlParameterSource("ids", chunk).addValue("except", except),
                    (rs, i) -> new StartedClaim(rs.getString(1), rs.getLong(2), rs.getString(3))));
        }
        return out;
    }

    /** A PENDING deployment: its selector decides what it covers; the machines already superseded in it are not its. */
    public record PendingDeployment(String deploymentId, long generation, MachineSelector selector, List<String> superseded) {
    }

    /** Every PENDING deployment but {@code except} (a deployment is PENDING only until its saga starts it). */
    public List<PendingDeployment> pending(String except) {
        List<PendingDeployment> out = new ArrayList<>();
        jdbc.query("select deployment_id, generation, spec from rollout_deployment where state = 'PENDING'"
                + " and deployment_id <> :except", new MapSqlParameterSource("except", except), rs -> {
            String id = rs.getString(1);
            List<String> superseded = jdbc.queryForList("select machine_id from rollout_machine where deployment_id = :id"
                    + " and phase = '" + RolloutProjection.SUPERSEDED + "'", new MapSqlParameterSource("id", id), String.class);
            out.add(new PendingDeployment(id, rs.getLong(2), spec(rs.getString(3)).selector(), superseded));
        });
        return out;
    }

    private List<DeploymentView> withCounts(List<DeploymentView> rows) {
        if (rows.isEmpty()) {
            return rows;
        }
        Map<String, Map<String, Integer>> phases = new HashMap<>();
        jdbc.query("select deployment_id, phase, count(*) from rollout_machine where deployment_id in (:ids)"
                        + " group by deployment_id, phase",
                new MapSqlParameterSource("ids", rows.stream().map(DeploymentView::deploymentId).toList()),
                rs -> {
                    phases.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getInt(3));
                });
        return rows.stream().map(r -> {
            Map<String, Integer> n = phases.getOrDefault(r.deploymentId(), Map.of());
            int queued = n.getOrDefault(RolloutProjection.QUEUED, 0);
            int activating = n.getOrDefault(RolloutProjection.ACTIVATING, 0);
            int rolledOut = n.getOrDefault(RolloutProjection.ROLLED_OUT, 0);
            int failed = n.getOrDefault(RolloutProjection.FAILED, 0);
            int superseded = n.getOrDefault(RolloutProjection.SUPERSEDED, 0);
            Counts c = new Counts(queued + activating + rolledOut + failed + superseded, queued, activating, rolledOut,
                    failed, superseded, n.getOrDefault(RolloutProjection.SKIPPED, 0));
            return new DeploymentView(r.deploymentId(), r.generation(), r.state(), r.summary(), r.spec(),
                    r.maxUnavailable(), r.reason(), c, Progress.of(c), null, r.createdAt(), r.updatedAt(), r.version());
        }).toList();
    }

    private DeploymentView row(ResultSet rs) throws SQLException {
        HostDeploymentSpec spec = spec(rs.getString(4));
        Object max = rs.getObject(5);
        return new DeploymentView(rs.getString(1), rs.getLong(2), rs.getString(3), SpecSummary.of(spec), spec,
                max == null ? null : ((Number) max).intValue(), rs.getString(6), null, null, null, instant(rs, 7),
                instant(rs, 8), rs.getLong(9));
    }

    private HostDeploymentSpec spec(String text) {
        try {
            return json.readValue(text, HostDeploymentSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a rollout_deployment row holds an unreadable spec", e);
        }
    }

    private static java.time.Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static List<List<String>> chunks(Collection<String> ids) {
        List<String> all = List.copyOf(ids);
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 1000) {
            out.add(all.subList(i, Math.min(all.size(), i + 1000)));
        }
        return out;
    }
}
