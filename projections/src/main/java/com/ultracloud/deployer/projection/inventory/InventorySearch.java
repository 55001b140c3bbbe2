package com.ultracloud.deployer.projection.inventory;

import com.ultracloud.deployer.protocol.MachineInventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The inventory row's filter columns: what a label or text filter ({@link InventoryListing}) searches. */
final class InventorySearch {

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

    /** What a {@code key} or {@code key=value} label filter looks for in the labels column. */
    static String labelNeedle(String label) {
        return label.contains("=") ? "|" + label + "|" : "|" + label + "=";
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

}
