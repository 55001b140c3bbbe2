package com.ultracloud.deployer.projection.inventory;

import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.deployment.MachineSelector;
import com.ultracloud.deployer.machine.domain.intent.HostnamePattern;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The inventory's indexed answers about the fleet, for enrollment (issue 9: constant work per
 * request). Every method is one statement over an index of {@code inventory_machine} ({@code V25}),
 * reads only the columns it needs, never the JSON detail, and returns a bounded number of rows.
 * Only live machines count: a retired machine keeps its row (and hostname) but holds nothing.
 */
@Component
public class FleetIndex {

    private static final String LIVE = "state <> 'RETIRED' and hostname is not null";

    private final NamedParameterJdbcTemplate jdbc;

    FleetIndex(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A machine id and the hostname it holds. */
    public record Holder(String machineId, String hostname) {
    }

    /** The live machines holding any of {@code hostnames} (at most two per hostname), but {@code except}. */
    public List<Holder> holdersOf(Collection<String> hostnames, String except) {
        if (hostnames.isEmpty()) {
            return List.of();
        }
        return jdbc.query("select machine_id, hostname from inventory_machine where hostname in (:hostnames) and "
                        + LIVE + " and machine_id <> :except order by hostname, machine_id fetch first " + 2 * hostnames.size() + " rows only",
                params(except).addValue("hostnames", hostnames),
                (rs, i) -> new Holder(rs.getString(1), rs.getString(2)));
    }

    /**
     * How many live machines other than {@code except} {@code matchedRule} assigned, at most {@code atMost}:
     * the count the projection keeps per rule ({@code inventory_rule_count}), less {@code except} when it is
     * one of them. One statement, two primary-key lookups.
     */
    public int countByRule(String matchedRule, String except, int atMost) {
        Long n = jdbc.queryForObject("select coalesce((select machines from inventory_rule_count where matched_rule = :rule), 0)"
                        + " - (select count(*) from inventory_machine where machine_id = :except and matched_rule = :rule and "
                        + LIVE + ")", params(except).addValue("rule", matchedRule), Long.class);
        return (int) Math.max(0, Math.min(atMost, n == null ? 0 : n));
    }

    /**
     * The projection moved a machine from holding a hostname for {@code before} to holding one for
     * {@code after} (either null: none); in the projection's transaction.
     */
    void ruleMoved(String before, String after) {
        if (java.util.Objects.equals(before, after)) {
            return;
        }
        if (before != null) {
            jdbc.update("update inventory_rule_count set machines = machines - 1 where matched_rule = :rule",
                    new MapSqlParameterSource("rule", before));
        }
        if (after != null && jdbc.update("update inventory_rule_count set machines = machines + 1 where matched_rule = :rule",
                new MapSqlParameterSource("rule", after)) == 0) {
            jdbc.update("insert into inventory_rule_count (matched_rule, machines) values (:rule, 1)",
                    new MapSqlParameterSource("rule", after));
        }
    }

    /** The rule a machine holds its hostname for: null unless live, named and assigned by a node or rule. */
    static String ruleHeld(MachineDetail d) {
        return d == null || d.state() == MachineState.RETIRED || d.hostname() == null || d.assignment() == null
                ? null : d.assignment().matchedRule();
    }

    void clearRuleCounts() {
        jdbc.update("delete from inventory_rule_count", new MapSqlParameterSource());
    }

    /** The first {@code limit} hostnames, in order, of live machines other than {@code except} that {@code matchedRule} assigned. */
    public List<String> hostnamesByRule(String matchedRule, String except, int limit) {
        return jdbc.queryForList("select hostname from inventory_machine where matched_rule = :rule and " + LIVE
                        + " and machine_id <> :except order by hostname fetch first " + Math.max(0, limit) + " rows only",
                params(except).addValue("rule", matchedRule), String.class);
    }

    /**
     * The lowest slot {@code s} in {@code [from, to]} such that no live machine other than {@code except}
     * holds the hostname a pattern with this {@code stem} and {@code width} renders for {@code s}
     * ({@link HostnamePattern#stemOf}, {@link HostnamePattern#width}); empty when all are held.
     * <p>
     * One statement on the {@code (host_stem, host_slot)} index: when {@code from} itself is held, the
     * first held slot {@code a >= from} whose successor is not held ends the contiguous run that starts
     * at {@code from}, so {@code a + 1} is the answer. The database walks that run in index order and
     * stops at its end; one row comes back, whatever the fleet's size.
     */
    public OptionalLong lowestFreeSlot(String stem, int width, long from, long to, String except) {
        long threshold = HostnamePattern.Slot.threshold(width);
        String rendered = width == 1 ? "%1$s.host_slot_pad = 0"
                : "((%1$s.host_slot < :threshold and %1$s.host_slot_pad = :width) or (%1$s.host_slot >= :threshold and %1$s.host_slot_pad = 0))";
        String held = "%1$s.host_stem = :stem and %1$s.state <> 'RETIRED' and %1$s.machine_id <> :except and " + rendered;
        MapSqlParameterSource p = params(except).addValue("stem", stem).addValue("width", width)
                .addValue("threshold", threshold).addValue("from", from).addValue("to", to);
        List<Long> first = jdbc.queryForList("select count(*) from inventory_machine a where a.host_slot = :from and "
                + held.formatted("a"), p, Long.class);
        if (first.isEmpty() || first.get(0) == 0) {
            return from <= to ? OptionalLong.of(from) : OptionalLong.empty();
        }
        List<Long> end = jdbc.queryForList("select a.host_slot + 1 from inventory_machine a where a.host_slot >= :from and "
                + held.formatted("a") + " and not exists (select 1 from inventory_machine b where b.host_slot = a.host_slot + 1 and "
                + held.formatted("b") + ") order by a.host_slot fetch first 1 rows only", p, Long.class);
        if (end.isEmpty() || end.get(0) > to) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(end.get(0));
    }

    /**
     * The lowest slot in {@code [from, to]} that a retired machine held under this stem and that no live
     * machine other than {@code except} holds now: a hole a retirement left in a run of held slots. A
     * range read on the {@code (state, host_stem, host_slot)} index, over the stem's retired machines only.
     */
    public OptionalLong lowestRetiredSlot(String stem, int width, long from, long to, String except) {
        long threshold = HostnamePattern.Slot.threshold(width);
        String rendered = width == 1 ? "%1$s.host_slot_pad = 0"
                : "((%1$s.host_slot < :threshold and %1$s.host_slot_pad = :width) or (%1$s.host_slot >= :threshold and %1$s.host_slot_pad = 0))";
        MapSqlParameterSource p = params(except).addValue("stem", stem).addValue("width", width)
                .addValue("threshold", threshold).addValue("from", from).addValue("to", to);
        List<Long> hole = jdbc.queryForList("select a.host_slot from inventory_machine a where a.state = 'RETIRED'"
                + " and a.host_stem = :stem and a.host_slot >= :from and a.host_slot <= :to and " + rendered.formatted("a")
                + " and not exists (select 1 from inventory_machine b where b.host_stem = :stem and b.host_slot = a.host_slot"
                + " and b.state <> 'RETIRED' and b.machine_id <> :except and " + rendered.formatted("b")
                + ") order by a.host_slot fetch first 1 rows only", p, Long.class);
        return hole.isEmpty() ? OptionalLong.empty() : OptionalLong.of(hole.get(0));
    }

    /** The hostname (null when none) of each of these machines that has a row: one statement, one row per machine. */
    public Map<String, String> hostnamesOf(Collection<String> machineIds) {
        Map<String, String> out = new LinkedHashMap<>();
        if (machineIds.isEmpty()) {
            return out;
        }
        jdbc.query("select machine_id, hostname, state from inventory_machine where machine_id in (:ids)",
                new MapSqlParameterSource("ids", machineIds),
                rs -> {
                    out.put(rs.getString(1), "RETIRED".equals(rs.getString(3)) ? null : rs.getString(2));
                });
        return out;
    }

    /** A machine waiting in some state, and when it was first discovered (its place in line). */
    public record Waiting(String machineId, java.time.Instant discoveredAt) {
    }

    /**
     * One page of the machines in {@code states}, oldest discovery first (then by id), after {@code after}
     * (null: from the start): a keyset page on the {@code (state, discovered_at, machine_id)} index, one
     * statement per state (each an index range read in order, stopping after {@code limit} rows), merged
     * here; so paging through every waiting machine costs the same per page however many there are.
     */
    public List<Waiting> waitingIn(Set<MachineState> states, Waiting after, int limit) {
        List<Waiting> merged = new java.util.ArrayList<>();
        for (MachineState state : states) {
            MapSqlParameterSource p = new MapSqlParameterSource("state", state.name());
            String keyset = "";
            if (after != null) {
                keyset = " and (discovered_at > :at or (discovered_at = :at and machine_id > :id))";
                p.addValue("at", after.discoveredAt().atOffset(java.time.ZoneOffset.UTC)).addValue("id", after.machineId());
            }
            merged.addAll(jdbc.query("select machine_id, discovered_at from inventory_machine where state = :state"
                            + " and discovered_at is not null" + keyset
                            + " order by discovered_at, machine_id fetch first " + Math.max(0, limit) + " rows only", p,
                    (rs, i) -> new Waiting(rs.getString(1), rs.getObject(2, java.time.OffsetDateTime.class).toInstant())));
        }
        merged.sort(java.util.Comparator.comparing(Waiting::discoveredAt).thenComparing(Waiting::machineId));
        return merged.size() > limit ? List.copyOf(merged.subList(0, limit)) : merged;
    }

    /** A machine a rollout selector covers: what the rollout needs to batch it (issue 10). */
    public record Covered(String machineId, String hostname, MachineState state, String health) {
    }

    /**
     * The live machines {@code selector} covers, in the rollout order (hostname, then id; machines without a
     * hostname last): one statement on the indexed columns ({@code machine_id}, {@code hostname},
     * {@code (node_class, pool)}, {@code state}); labels are a LIKE on the labels column, as the inventory's
     * label filter. Reads no JSON detail. An empty selector covers nothing (the write side refuses it anyway).
     */
    public List<Covered> covered(MachineSelector selector) {
        if (selector.coversEverything()) {
            return List.of();
        }
        StringBuilder where = new StringBuilder("state <> 'RETIRED'");
        MapSqlParameterSource p = new MapSqlParameterSource();
        boolean byHost = !selector.hostnames().isEmpty();
        boolean byId = !selector.machineIds().isEmpty();
        if (byHost || byId) {
            where.append(" and (");
            if (byHost) {
                where.append("hostname in (:hostnames)");
                p.addValue("hostnames", selector.hostnames());
            }
            if (byId) {
                where.append(byHost ? " or " : "").append("machine_id in (:ids)");
                p.addValue("ids", selector.machineIds().stream().map(Object::toString).toList());
            }
            where.append(")");
        }
        if (!selector.nodeClasses().isEmpty()) {
            where.append(" and node_class in (:classes)");
            p.addValue("classes", selector.nodeClasses());
        }
        if (!selector.pools().isEmpty()) {
            where.append(" and pool in (:pools)");
            p.addValue("pools", selector.pools());
        }
        int n = 0;
        for (Map.Entry<String, String> label : new java.util.TreeMap<>(selector.labels()).entrySet()) {
            where.append(" and labels like :label").append(n).append(" escape '\\'");
            p.addValue("label" + n++, "%|" + escapeLike(label.getKey() + "=" + label.getValue()) + "|%");
        }
        List<Covered> out = new java.util.ArrayList<>(jdbc.query(
                "select machine_id, hostname, state, health from inventory_machine where " + where, p,
                (rs, i) -> new Covered(rs.getString(1), rs.getString(2), MachineState.valueOf(rs.getString(3)),
                        rs.getString(4) == null ? "unknown" : rs.getString(4))));
        out.sort(java.util.Comparator.comparing(Covered::hostname, java.util.Comparator.nullsLast(String::compareTo))
                .thenComparing(Covered::machineId));
        return out;
    }

    /** A machine's assignment as a selector sees it. */
    public record Placement(String machineId, String hostname, String nodeClass, String pool, Map<String, String> labels) {
    }

    /** The assignment of each of these machines that has a live row: one statement by primary key, no JSON. */
    public Map<String, Placement> placementsOf(Collection<String> machineIds) {
        Map<String, Placement> out = new LinkedHashMap<>();
        if (machineIds.isEmpty()) {
            return out;
        }
        jdbc.query("select machine_id, hostname, node_class, pool, labels from inventory_machine where machine_id in (:ids)"
                        + " and state <> 'RETIRED'", new MapSqlParameterSource("ids", machineIds),
                rs -> {
                    out.put(rs.getString(1), new Placement(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), InventorySearch.labelsOf(rs.getString(5))));
                });
        return out;
    }

    private static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static MapSqlParameterSource params(String except) {
        return new MapSqlParameterSource("except", except == null ? "" : except);
    }
}
