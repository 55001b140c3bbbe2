package com.ultracloud.deployer.gateway.claims;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.event.MachineRetired;
import com.ultracloud.deployer.machine.api.event.NodeAssigned;
import com.ultracloud.deployer.machine.command.NodeClaims;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The claims of {@link NodeClaims} in {@code node_claim} (V30), primary key (kind, value): at most one live
 * holder per hostname and per node id, whatever the number of gateways writing.
 * <p>
 * Runs inside the command's unit of work, on the connection of its Spring transaction (the one the event
 * storage engine appends with, ADR 0006), so a claim commits with the NodeAssigned event or not at all. A
 * claim is made under a savepoint: when a value is taken (seen, or refused by the key because another
 * transaction claimed it first — PostgreSQL makes the loser wait for the winner's commit), everything this
 * claim wrote is rolled back to it and the command is refused; the surrounding transaction stays usable, which
 * matters when the command runs nested in an event processor's batch (the enrollment policy).
 */
@Component
public class JdbcNodeClaims implements NodeClaims, SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(JdbcNodeClaims.class);
    /** SQLSTATE of a unique-key violation, on PostgreSQL and H2 alike. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final ObjectMapper json;
    private final Clock clock;

    JdbcNodeClaims(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.json = json;
        this.clock = clock;
    }

    @Override
    public Optional<Taken> claim(MachineId machine, String hostname, String nodeId) {
        requireTransaction();
        Map<Kind, String> wanted = new EnumMap<>(Kind.class);
        wanted.put(Kind.HOSTNAME, hostname);
        wanted.put(Kind.NODE_ID, nodeId);
        String id = machine.toString();
        return jdbc.execute((ConnectionCallback<Optional<Taken>>) con -> {
            Savepoint before = con.setSavepoint();
            try {
                Optional<Taken> taken = claim(con, id, wanted);
                if (taken.isPresent()) {
                    con.rollback(before);
                    // named again from the committed claims, hostname first: a winner that committed between our
                    // two lookups (or a race lost on the key) is reported the same way as one committed before
                    Taken t = taken.get();
                    taken = Optional.of(firstHeldByOther(con, id, wanted)
                            .orElseGet(() -> new Taken(t.kind(), t.value(), t.heldBy())));
                } else {
                    con.releaseSavepoint(before);
                }
                return taken;
            } catch (SQLException | RuntimeException e) {
                con.rollback(before);
                throw e;
            }
        });
    }

    private Optional<Taken> claim(Connection con, String machine, Map<Kind, String> wanted) throws SQLException {
        Map<Kind, String> mine = new EnumMap<>(Kind.class);
        for (Map.Entry<Kind, String> w : wanted.entrySet()) {
            Optional<String> holder = holderOf(con, w.getKey(), w.getValue());
            if (holder.isPresent() && !holder.get().equals(machine)) {
                return Optional.of(new Taken(w.getKey(), w.getValue(), holder.get()));
            }
            holder.ifPresent(h -> mine.put(w.getKey(), w.getValue()));
        }
        // a re-commission under another name gives up the old one
        try (PreparedStatement s = con.prepareStatement("delete from node_claim where machine_id = ? and kind = ? and claimed_value <> ?")) {
            for (Map.Entry<Kind, String> w : wanted.entrySet()) {
                s.setString(1, machine);
                s.setString(2, w.getKey().wireName());
                s.setString(3, w.getValue());
                s.executeUpdate();
            }
        }
        for (Map.Entry<Kind, String> w : wanted.entrySet()) {
            if (mine.containsKey(w.getKey())) {
                continue;
            }
            try (PreparedStatement s = con.prepareStatement(
                    "insert into node_claim (kind, claimed_value, machine_id, claimed_at) values (?, ?, ?, ?)")) {
                s.setString(1, w.getKey().wireName());
                s.setString(2, w.getValue());
                s.setString(3, machine);
                s.setObject(4, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
                s.executeUpdate();
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
                // another transaction claimed it since we looked (and has committed, or we would still wait)
                return Optional.of(new Taken(w.getKey(), w.getValue(), null));
            }
        }
        return Optional.empty();
    }

    private static Optional<Taken> firstHeldByOther(Connection con, String machine, Map<Kind, String> wanted)
            throws SQLException {
        for (Map.Entry<Kind, String> w : wanted.entrySet()) {
            Optional<String> holder = holderOf(con, w.getKey(), w.getValue());
            if (holder.isPresent() && !holder.get().equals(machine)) {
                return Optional.of(new Taken(w.getKey(), w.getValue(), holder.get()));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> holderOf(Connection con, Kind kind, String value) throws SQLException {
        try (PreparedStatement s = con.prepareStatement("select machine_id from node_claim where kind = ? and claimed_value = ?")) {
            s.setString(1, kind.wireName());
            s.setString(2, value);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    @Override
    public void release(MachineId machine) {
        requireTransaction();
        jdbc.update("delete from node_claim where machine_id = ?", machine.toString());
    }

    /** Who holds {@code value} of {@code kind} now (committed claims only). */
    public Optional<String> holderOf(Kind kind, String value) {
        return jdbc.query("select machine_id from node_claim where kind = ? and claimed_value = ?",
                rs -> rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty(), kind.wireName(), value);
    }

    /** A claim outside a transaction could be half-made: the command bus always runs one. */
    private static void requireTransaction() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("a node claim must be made in the command's transaction");
        }
    }

    // ------------------------------------------------------------------ upgrade of an existing database

    /** Before any command or processor runs: the one-time backfill of V30. */
    @Override
    public void afterSingletonsInstantiated() {
        transactions.executeWithoutResult(status -> backfill());
    }

    /**
     * Claims what the machines assigned before V30 hold, from the event store (the truth; the inventory may lag
     * it): NodeAssigned and MachineRetired in the order they were appended, as the aggregate would have claimed
     * and released. The first gateway to start clears {@code node_claim_backfill.pending} in the same
     * transaction; a replica that starts meanwhile waits on that row and then finds nothing to do. A value two
     * live machines already hold (assigned twice before this fix) stays with the first one, and each such
     * machine is logged at WARN for an operator to re-commission or retire.
     */
    private void backfill() {
        if (jdbc.update("update node_claim_backfill set pending = false where id = 1 and pending = true") == 0) {
            return;
        }
        Map<String, String> holders = new LinkedHashMap<>(); // kind:value -> machine
        Map<String, Map<Kind, String>> held = new HashMap<>(); // machine -> its values
        int[] events = {0};
        jdbc.query("select aggregate_identifier, payload_type, payload from domain_event_entry"
                        + " where payload_type in (?, ?) order by global_index",
                rs -> {
                    events[0]++;
                    String machine = rs.getString(1);
                    release(holders, held, machine);
                    if (!NodeAssigned.class.getName().equals(rs.getString(2))) {
                        return; // retired: holds nothing
                    }
                    JsonNode assignment = read(rs.getBytes(3)).path("assignment");
                    Map<Kind, String> values = new EnumMap<>(Kind.class);
                    values.put(Kind.HOSTNAME, text(assignment, "hostname"));
                    values.put(Kind.NODE_ID, Optional.ofNullable(text(assignment, "nodeId")).orElse(values.get(Kind.HOSTNAME)));
                    values.forEach((kind, value) -> {
                        if (value == null) {
                            return;
                        }
                        String other = holders.putIfAbsent(kind.wireName() + ":" + value, machine);
                        if (other != null && !other.equals(machine)) {
                            log.warn("node claims: {} {} is assigned to machine {} and to machine {}; {} keeps it, {} holds "
                                    + "no claim on it: re-commission or retire one of them", kind.wireName(), value, other,
                                    machine, other, machine);
                        } else {
                            held.computeIfAbsent(machine, m -> new EnumMap<>(Kind.class)).put(kind, value);
                        }
                    });
                },
                NodeAssigned.class.getName(), MachineRetired.class.getName());
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        jdbc.batchUpdate("insert into node_claim (kind, claimed_value, machine_id, claimed_at) values (?, ?, ?, ?)",
                holders.entrySet().stream().map(e -> {
                    int colon = e.getKey().indexOf(':');
                    return new Object[]{e.getKey().substring(0, colon), e.getKey().substring(colon + 1), e.getValue(), now};
                }).toList());
        log.info("node claims: {} claim(s) taken over from {} assignment and retirement event(s)", holders.size(), events[0]);
    }

    private static void release(Map<String, String> holders, Map<String, Map<Kind, String>> held, String machine) {
        Map<Kind, String> before = held.remove(machine);
        if (before != null) {
            before.forEach((kind, value) -> holders.remove(kind.wireName() + ":" + value, machine));
        }
    }

    private JsonNode read(byte[] payload) {
        try {
            return json.readTree(payload);
        } catch (IOException e) {
            throw new IllegalStateException("an assignment event could not be read for the node-claim backfill", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }

}
