package com.ultracloud.deployer.projection.inventory;

import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.query.ListMachines;
import com.ultracloud.deployer.protocol.MachineInventory;
import jakarta.persistence.criteria.Predicate;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Filtering and sorting of the inventory: how rows are indexed and how a {@link ListMachines} reads them. */
final class InventorySearch {

    /** Sortable fields, by their API name. */
    static final Map<String, String> SORTABLE = Map.of(
            "hostname", "hostname", "state", "state", "nodeClass", "nodeClass", "pool", "pool",
            "lastSeen", "lastSeen", "updatedAt", "updatedAt", "machineId", "machineId");

    private InventorySearch() {
    }

    /** The labels column read back: {@code |k=v|k2=v2|} to a map. */
    static Map<String, String> labelsOf(String column) {
        Map<String, String> labels = new TreeMap<>();
        if (column == null) {
            return labels;
        }
        for (String pair : column.split("\\|")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                labels.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return labels;
    }

    static String labelsColumn(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return "|";
        }
        StringJoiner j = new StringJoiner("|", "|", "|");
        new TreeMap<>(labels).forEach((k, v) -> j.add(k + "=" + v));
        return j.toString();
    }

    static String searchColumn(MachineDetail d) {
        List<String> terms = new ArrayList<>();
        Stream.of(d.machineId(), d.hostname(), d.nodeId()).forEach(terms::add);
        MachineInventory hw = d.hardware();
        if (hw != null) {
            if (hw.identity() != null) {
                Stream.of(hw.identity().systemSerial(), hw.identity().boardSerial(), hw.identity().smbiosUuid(),
                        hw.identity().vendor(), hw.identity().product()).forEach(terms::add);
            }
            hw.nics().forEach(n -> {
                terms.add(n.mac());
                terms.add(n.permanentMac());
            });
            hw.disks().forEach(disk -> terms.add(disk.serial()));
            if (hw.network() != null) {
                terms.addAll(hw.network().addresses());
            }
        }
        String text = String.join(" ", terms.stream().filter(t -> t != null && !t.isBlank()).distinct().toList())
                .toLowerCase(Locale.ROOT);
        return text.length() > 4000 ? text.substring(0, 4000) : text;
    }

    static Specification<MachineRow> where(ListMachines q) {
        return (root, query, cb) -> {
            List<Predicate> p = new ArrayList<>();
            Set<MachineState> states = q.states();
            if (!states.isEmpty()) {
                p.add(root.get("state").in(states.stream().map(Enum::name).toList()));
            }
            if (notBlank(q.nodeClass())) {
                p.add(cb.equal(root.get("nodeClass"), q.nodeClass()));
            }
            if (notBlank(q.pool())) {
                p.add(cb.equal(root.get("pool"), q.pool()));
            }
            if (notBlank(q.label())) {
                String label = q.label().contains("=") ? "|" + q.label() + "|" : "|" + q.label() + "=";
                p.add(cb.like(root.get("labels"), "%" + escapeLike(label) + "%", '\\'));
            }
            if (notBlank(q.text())) {
                String text = q.text().trim().toLowerCase(Locale.ROOT);
                p.add(cb.like(root.get("searchText"), "%" + escapeLike(text) + "%", '\\'));
            }
            return cb.and(p.toArray(Predicate[]::new));
        };
    }

    /** {@code field} or {@code field,desc}; unknown fields are rejected by the gateway before this. */
    static Sort sort(String sort) {
        if (!notBlank(sort)) {
            return Sort.by("hostname").ascending().and(Sort.by("machineId"));
        }
        String[] parts = sort.split(",", 2);
        String field = SORTABLE.getOrDefault(parts[0].trim(), "hostname");
        boolean desc = parts.length > 1 && parts[1].trim().equalsIgnoreCase("desc");
        return Sort.by(desc ? Sort.Direction.DESC : Sort.Direction.ASC, field).and(Sort.by("machineId"));
    }

    private static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
