package com.ultracloud.deployer.machine.domain.enrollment;

import com.ultracloud.deployer.machine.api.intent.ClusterState.StringMatch;

import java.util.List;
import java.util.Locale;

/**
 * The string selectors of enrollment rules, with the semantics of Ironic's hint strings: trimmed,
 * case-insensitive; {@code s==} equal, {@code s!=} not equal, {@code <in>} contains, {@code <or>}
 * equal to any. A missing fact never matches.
 */
public final class StringMatcher {

    private StringMatcher() {
    }

    public static boolean matches(StringMatch m, String value) {
        if (m == null) {
            return true;
        }
        if (value == null) {
            return false;
        }
        String v = norm(value);
        List<String> values = m.values() == null ? List.of() : m.values().stream().map(StringMatcher::norm).toList();
        if (values.isEmpty()) {
            return false;
        }
        return switch (m.operator() == null ? "s==" : m.operator()) {
            case "s==" -> v.equals(values.get(0));
            case "s!=" -> !v.equals(values.get(0));
            case "<in>" -> v.contains(values.get(0));
            case "<or>" -> values.contains(v);
            default -> false;
        };
    }

    /** {@code s== "Supermicro"}, {@code <or> "a", "b"}. */
    public static String describe(StringMatch m) {
        List<String> values = m.values() == null ? List.of() : m.values();
        return m.operator() + " " + String.join(" | ", values.stream().map(v -> "\"" + v + "\"").toList());
    }

    private static String norm(String s) {
        return s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
    }
}
