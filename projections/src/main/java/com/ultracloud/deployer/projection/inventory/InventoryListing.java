package com.ultracloud.deployer.projection.inventory;

import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.query.ListMachines;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Reads inventory pages with plain SQL (issue 9, "big fleets"). A page is read in the order of an
 * index ({@code V29}: {@code (hostname, machine_id)}, and the same after {@code state}) and stops at
 * its last row; its total is the sum of the counts the projection keeps per state, class and pool, or
 * for a {@code label} or {@code q} filter a count that stops at {@link #COUNT_LIMIT}. Neither grows with
 * the fleet. Every order is the field, then {@code machine_id}: ascending puts machines without the field
 * last, descending first (PostgreSQL's own order, so a backward index scan serves it).
 */
@Component
public class InventoryListing {

    /** A text or label filter's total is exact up to here; beyond, the page says {@code totalExact: false}. */
    public static final int COUNT_LIMIT = 1000;

    /** Sortable fields, by their API name, and their columns. */
    public static final Map<String, String> SORTABLE = Map.of(
            "hostname", "hostname", "state", "state", "nodeClass", "node_class", "pool", "pool",
            "lastSeen", "last_seen", "updatedAt", "updated_at", "machineId", "machine_id");
    private static final String DEFAULT_SORT = "hostname";
    private static final String PENDING_MOVES = InventoryListing.class.getName() + ".pendingMoves";
    private static final Set<String> TIMES = Set.of("last_seen", "updated_at");

    private final NamedParameterJdbcTemplate jdbc;

    InventoryListing(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A machine's key in {@code inventory_state_count}: state, class and pool ('' for none). */
    record CountKey(String state, String nodeClass, String pool) implements Comparable<CountKey> {
        static CountKey of(MachineDetail d) {
            return d == null ? null : new CountKey(d.state().name(), d.nodeClass() == null ? "" : d.nodeClass(),
                    d.pool() == null ? "" : d.pool());
        }

        @Override
        public int compareTo(CountKey o) {
            return Comparator.comparing(CountKey::state).thenComparing(CountKey::nodeClass)
                    .thenComparing(CountKey::pool).compare(this, o);
        }
    }

    /**
     * The projection moved a machine from {@code before} to {@code after} (null: no row). The moves of a
     * batch of events are summed per key and written once per key when the batch commits, in its
     * transaction (one statement per key changed instead of one per event), in key order, so concurrent
     * segments cannot deadlock on the rows.
     */
    void countMoved(CountKey before, CountKey after) {
        if (Objects.equals(before, after)) {
            return;
        }
        boolean inBatch = CurrentUnitOfWork.isStarted();
        Map<CountKey, Long> deltas = inBatch ? pendingMoves(CurrentUnitOfWork.get().root()) : new TreeMap<>();
        if (before != null) {
            deltas.merge(before, -1L, Long::sum);
        }
        if (after != null) {
            deltas.merge(after, 1L, Long::sum);
        }
        if (!inBatch) {
            writeMoves(deltas);
        }
    }

    private Map<CountKey, Long> pendingMoves(UnitOfWork<?> batch) {
        return batch.getOrComputeResource(PENDING_MOVES, key -> {
            Map<CountKey, Long> deltas = new TreeMap<>();
            batch.onPrepareCommit(u -> writeMoves(deltas));
            return deltas;
        });
    }

    private void writeMoves(Map<CountKey, Long> deltas) {
        deltas.forEach((k, delta) -> {
            if (delta == 0) {
                return;
            }
            MapSqlParameterSource p = new MapSqlParameterSource("state", k.state()).addValue("nodeClass", k.nodeClass())
                    .addValue("pool", k.pool()).addValue("delta", delta);
            if (jdbc.update("update inventory_state_count set machines = machines + :delta where state = :state"
                    + " and node_class = :nodeClass and pool = :pool", p) == 0) {
                jdbc.update("insert into inventory_state_count (state, node_class, pool, machines)"
                        + " values (:state, :nodeClass, :pool, :delta)", p);
            }
        });
    }

    /** Machines per state, of one class and/or pool (null: any), from the kept counts: one small grouped query. */
    MachineCounts countByState(String nodeClass, String pool) {
        Map<MachineState, Long> byState = new EnumMap<>(MachineState.class);
        for (MachineState s : MachineState.values()) {
            byState.put(s, 0L);
        }
        MapSqlParameterSource p = new MapSqlParameterSource("nodeClass", nodeClass).addValue("pool", pool);
        String where = (nodeClass == null ? "" : " and node_class = :nodeClass") + (pool == null ? "" : " and pool = :pool");
        jdbc.query("select state, sum(machines) from inventory_state_count where machines <> 0" + where + " group by state", p,
                rs -> {
                    byState.put(MachineState.valueOf(rs.getString(1)), rs.getLong(2));
                });
        return new MachineCounts(byState, byState.values().stream().mapToLong(Long::longValue).sum());
    }

    /** The counts kept, by {@code state/class/pool}, zeros left out: lets a test compare them with the rows. */
    public Map<String, Long> countsKept() {
        Map<String, Long> out = new TreeMap<>();
        jdbc.query("select state, node_class, pool, machines from inventory_state_count where machines <> 0",
                rs -> {
                    out.put(rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getString(3), rs.getLong(4));
                });
        return out;
    }

    /** The same counted from the rows. */
    public Map<String, Long> countsOfRows() {
        Map<String, Long> out = new TreeMap<>();
        jdbc.query("select state, coalesce(node_class, ''), coalesce(pool, ''), count(*) from inventory_machine"
                + " group by state, coalesce(node_class, ''), coalesce(pool, '')", rs -> {
                    out.put(rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getString(3), rs.getLong(4));
                });
        return out;
    }

    void clearCounts() {
        jdbc.update("delete from inventory_state_count", new MapSqlParameterSource());
    }

    /** What is wrong with {@code after} as the cursor of a page in {@code sort}, if anything. */
    public static Optional<String> problemWith(String after, String sort) {
        Optional<InventoryCursor> cursor = InventoryCursor.decode(after);
        if (cursor.isEmpty()) {
            return Optional.of("not a cursor this deployer made: use the 'next' of the page before");
        }
        Order order = Order.of(sort);
        if (!cursor.get().sort().equals(order.name())) {
            return Optional.of("the cursor was made for sort=" + cursor.get().sort() + ", not sort=" + order.name());
        }
        if (cursor.get().value() != null && order.time()) {
            try {
                Instant.parse(cursor.get().value());
            } catch (DateTimeParseException e) {
                return Optional.of("not a cursor this deployer made: use the 'next' of the page before");
            }
        }
        return Optional.empty();
    }

    /** The page ({@code summary} reads a row's detail JSON), its total and the cursor after it. */
    MachinePage page(ListMachines q, Function<String, MachineSummary> summary) {
        Order order = Order.of(q.sort());
        Filter filter = Filter.of(q);
        List<Row> rows = q.after() == null ? firstRows(filter, order, q) : rowsAfter(filter, order, q);
        boolean more = rows.size() > q.size();
        List<Row> shown = more ? rows.subList(0, q.size()) : rows;
        String next = more ? shown.get(shown.size() - 1).cursor(order).encode() : null;
        Total total = total(filter);
        return new MachinePage(shown.stream().map(r -> summary.apply(r.detail())).toList(), q.page(), q.size(),
                total.count(), total.exact(), next);
    }

    private record Total(long count, boolean exact) {
    }

    /** One row over the size asked for: that there is one tells there is a next page. */
    private List<Row> firstRows(Filter filter, Order order, ListMachines q) {
        MapSqlParameterSource params = filter.params().addValue("limit", q.size() + 1)
                .addValue("offset", (long) q.page() * q.size());
        return select(filter.where(List.of()), order, params);
    }

    /**
     * Keyset: the rows after the cursor. Ascending, the machines with a value come first, then those
     * without; descending the other way round. Each part is one indexed range, read until the page is full.
     */
    private List<Row> rowsAfter(Filter filter, Order order, ListMachines q) {
        InventoryCursor cursor = InventoryCursor.decode(q.after()).orElseThrow(
                () -> new IllegalArgumentException("not an inventory cursor: " + q.after()));
        String col = order.column();
        String cmp = order.desc() ? "<" : ">";
        MapSqlParameterSource params = filter.params().addValue("id", cursor.machineId()).addValue("offset", 0L);
        List<String> parts;
        if (col.equals("machine_id")) {
            parts = List.of("machine_id " + cmp + " :id");
        } else if (cursor.value() != null) {
            params.addValue("v", order.bind(cursor.value()));
            String valuedAfter = "(" + col + ", machine_id) " + cmp + " (:v, :id)";
            parts = order.desc() ? List.of(valuedAfter) : List.of(valuedAfter, col + " is null");
        } else {
            String unvaluedAfter = col + " is null and machine_id " + cmp + " :id";
            parts = order.desc() ? List.of(unvaluedAfter, col + " is not null") : List.of(unvaluedAfter);
        }
        int wanted = q.size() + 1;
        List<Row> rows = new ArrayList<>();
        for (String part : parts) {
            params.addValue("limit", wanted - rows.size());
            rows.addAll(select(filter.where(List.of(part)), order, params));
            if (rows.size() >= wanted) {
                break;
            }
        }
        return rows;
    }

    private List<Row> select(String where, Order order, MapSqlParameterSource params) {
        return jdbc.query("select machine_id, detail, " + order.column() + " as sort_value from inventory_machine"
                + where + " order by " + order.orderBy() + " limit :limit offset :offset", params, InventoryListing::row);
    }

    private static Row row(ResultSet rs, int i) throws SQLException {
        Object value = rs.getObject("sort_value");
        String sortValue = value == null ? null
                : value instanceof java.sql.Timestamp t ? t.toInstant().toString()
                : value instanceof OffsetDateTime t ? t.toInstant().toString()
                : String.valueOf(value);
        return new Row(rs.getString("machine_id"), rs.getString("detail"), sortValue);
    }

    private Total total(Filter filter) {
        if (filter.scans()) {
            Long n = jdbc.queryForObject("select count(*) from (select 1 from inventory_machine" + filter.where(List.of())
                    + " limit " + (COUNT_LIMIT + 1) + ") m", filter.params(), Long.class);
            long counted = n == null ? 0 : n;
            return new Total(Math.min(counted, COUNT_LIMIT), counted <= COUNT_LIMIT);
        }
        // the same where clause: state, class and pool are the count table's key columns too
        Long n = jdbc.queryForObject("select coalesce(sum(machines), 0) from inventory_state_count" + filter.where(List.of()),
                filter.params(), Long.class);
        return new Total(n == null ? 0 : n, true);
    }

    private record Row(String machineId, String detail, String sortValue) {
        InventoryCursor cursor(Order order) {
            return new InventoryCursor(order.name(), order.column().equals("machine_id") ? null : sortValue, machineId);
        }
    }

    /** The sort: its API name ({@code field} or {@code field,desc}), column and direction. */
    record Order(String name, String column, boolean desc) {
        static Order of(String sort) {
            String name = sort == null || sort.isBlank() ? DEFAULT_SORT : sort;
            String[] parts = name.split(",", 2);
            String column = SORTABLE.getOrDefault(parts[0].trim(), "hostname");
            return new Order(name, column, parts.length > 1 && parts[1].trim().equalsIgnoreCase("desc"));
        }

        boolean time() {
            return TIMES.contains(column);
        }

        String orderBy() {
            if (column.equals("machine_id")) {
                return desc ? "machine_id desc" : "machine_id asc";
            }
            return desc ? column + " desc nulls first, machine_id desc" : column + " asc nulls last, machine_id asc";
        }

        Object bind(String value) {
            return time() ? OffsetDateTime.ofInstant(Instant.parse(value), ZoneOffset.UTC) : value;
        }
    }

    /** The filters as a where clause and its parameters. */
    record Filter(ListMachines q) {
        static Filter of(ListMachines q) {
            return new Filter(q);
        }

        /** A label or text filter: its total cannot come from the counts. */
        boolean scans() {
            return notBlank(q.label()) || notBlank(q.text());
        }

        MapSqlParameterSource params() {
            MapSqlParameterSource p = new MapSqlParameterSource();
            if (!q.states().isEmpty()) {
                p.addValue("states", q.states().stream().map(MachineState::name).sorted().toList());
            }
            p.addValue("nodeClass", q.nodeClass()).addValue("pool", q.pool());
            if (notBlank(q.label())) {
                p.addValue("label", "%" + escapeLike(InventorySearch.labelNeedle(q.label())) + "%");
            }
            if (notBlank(q.text())) {
                p.addValue("text", "%" + escapeLike(q.text().trim().toLowerCase(Locale.ROOT)) + "%");
            }
            return p;
        }

        String where(List<String> more) {
            List<String> p = new ArrayList<>();
            if (!q.states().isEmpty()) {
                p.add("state in (:states)");
            }
            if (notBlank(q.nodeClass())) {
                p.add("node_class = :nodeClass");
            }
            if (notBlank(q.pool())) {
                p.add("pool = :pool");
            }
            if (notBlank(q.label())) {
                p.add("labels like :label escape '\\'");
            }
            if (notBlank(q.text())) {
                p.add("search_text like :text escape '\\'");
            }
            p.addAll(more);
            return p.isEmpty() ? "" : " where " + String.join(" and ", p);
        }
    }

    private static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
