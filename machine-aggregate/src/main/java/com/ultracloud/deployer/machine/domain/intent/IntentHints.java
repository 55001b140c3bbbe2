package com.ultracloud.deployer.machine.domain.intent;

import com.ultracloud.deployer.machine.api.intent.ClusterState;
import com.ultracloud.deployer.protocol.disk.RootDeviceHints;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The exported root-device hints ({@code {hint: "wwnWithExtension", operator: "s==", values: [..]}})
 * as the Ironic expressions {@link RootDeviceHints#parse} takes ({@code wwn_with_extension → "s== .."}).
 */
public final class IntentHints {

    /** Exported (camelCase) hint name → Ironic name. */
    public static final Map<String, String> IRONIC_NAMES;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("name", RootDeviceHints.NAME);
        m.put("size", RootDeviceHints.SIZE);
        m.put("model", RootDeviceHints.MODEL);
        m.put("vendor", RootDeviceHints.VENDOR);
        m.put("serial", RootDeviceHints.SERIAL);
        m.put("wwn", RootDeviceHints.WWN);
        m.put("wwnWithExtension", RootDeviceHints.WWN_WITH_EXTENSION);
        m.put("wwnVendorExtension", RootDeviceHints.WWN_VENDOR_EXTENSION);
        m.put("hctl", RootDeviceHints.HCTL);
        m.put("byPath", RootDeviceHints.BY_PATH);
        m.put("rotational", RootDeviceHints.ROTATIONAL);
        IRONIC_NAMES = Map.copyOf(m);
    }

    static final java.util.Set<String> NUMERIC_OPERATORS = java.util.Set.of("==", "!=", ">=", "<=", ">", "<");
    static final java.util.Set<String> STRING_OPERATORS = java.util.Set.of("s==", "s!=", "<in>", "<or>");

    private IntentHints() {
    }

    public static Optional<String> ironicName(String exported) {
        return Optional.ofNullable(exported == null ? null : IRONIC_NAMES.get(exported));
    }

    /**
     * The Ironic expression of one exported hint: {@code "<op> <value>"}, {@code "<or> a <or> b"}, or
     * the bare value for {@code rotational} (whose only operator is {@code ==}).
     *
     * @throws IllegalArgumentException when operator or values do not fit together
     */
    public static String expression(ClusterState.Hint hint) {
        List<String> values = hint.values() == null ? List.of() : hint.values();
        String op = hint.operator();
        if (values.isEmpty() || values.stream().anyMatch(v -> v == null)) {
            throw new IllegalArgumentException("needs at least one non-null value");
        }
        if ("rotational".equals(hint.hint())) {
            if (op != null && !op.equals("==")) {
                throw new IllegalArgumentException("operator \"" + op + "\" is not allowed on rotational (only ==)");
            }
            if (values.size() != 1) {
                throw new IllegalArgumentException("rotational takes exactly one value");
            }
            return values.get(0);
        }
        boolean size = "size".equals(hint.hint());
        if (size && "=".equals(op)) {
            throw new IllegalArgumentException(RootDeviceHints.legacySizeOperator(values.get(0)));
        }
        java.util.Set<String> allowed = size ? NUMERIC_OPERATORS : STRING_OPERATORS;
        if (op != null && !allowed.contains(op)) {
            throw new IllegalArgumentException("operator \"" + op + "\" is not allowed on " + hint.hint()
                    + " (allowed: " + String.join(", ", size ? List.of("==", "!=", ">=", "<=", ">", "<")
                    : List.of("s==", "s!=", "<in>", "<or>")) + ")");
        }
        if ("<or>".equals(op)) {
            StringBuilder b = new StringBuilder();
            values.forEach(v -> b.append(b.isEmpty() ? "" : " ").append("<or> ").append(v));
            return b.toString();
        }
        if (values.size() != 1) {
            throw new IllegalArgumentException("operator " + (op == null ? "(none)" : "\"" + op + "\"")
                    + " takes exactly one value, got " + values.size());
        }
        return op == null ? values.get(0) : op + " " + values.get(0);
    }

    /**
     * The policy's hints parsed with Ironic's rules.
     *
     * @throws com.ultracloud.deployer.protocol.disk.RootDeviceHintException for invalid hints
     * @throws IllegalArgumentException for unknown exported names or malformed entries
     */
    public static RootDeviceHints parse(List<ClusterState.Hint> hints) {
        Map<String, Object> raw = new LinkedHashMap<>();
        for (ClusterState.Hint h : hints == null ? List.<ClusterState.Hint>of() : hints) {
            String name = ironicName(h.hint()).orElseThrow(() -> new IllegalArgumentException(
                    "unknown root device hint \"" + h.hint() + "\""));
            raw.put(name, expression(h));
        }
        return RootDeviceHints.parse(raw);
    }
}
