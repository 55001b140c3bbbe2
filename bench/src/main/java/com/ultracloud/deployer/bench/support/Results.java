package com.ultracloud.deployer.bench.support;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Prints one figure twice: for people, and as a stable machine-readable line
 * {@code RESULT bench=… metric=… value=… unit=… baseline=… ratio=… [key=value …]}
 * ({@code baseline=-}/{@code ratio=-} when there is none; values never contain spaces).
 * {@code bench/report.py} reads only these lines.
 */
public final class Results {

    private Results() {
    }

    /** A figure with a baseline measured in the same run; ratio = value / baseline. */
    public static void sameRun(String bench, String metric, double value, double baseline, String unit, String... extra) {
        print(bench, metric, value, unit, fmt(baseline), fmt(baseline == 0 ? Double.NaN : value / baseline), "same-run", extra);
    }

    /** A figure without a same-run baseline. */
    public static void figure(String bench, String metric, double value, String unit, String... extra) {
        print(bench, metric, value, unit, "-", "-", "none", extra);
    }

    /** A figure whose baseline is a reference from elsewhere (not measured here), stated as text. */
    public static void reference(String bench, String metric, double value, String unit, String reference, String... extra) {
        print(bench, metric, value, unit, reference, "-", "reference", extra);
    }

    /** A context line: what ran, where, with which settings ({@code RESULT bench=… metric=context …}). */
    public static void context(String bench, String... keyValues) {
        StringBuilder b = new StringBuilder("RESULT bench=").append(bench).append(" metric=context");
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            b.append(' ').append(keyValues[i]).append('=').append(token(keyValues[i + 1]));
        }
        System.out.println(b);
        System.out.flush();
    }

    private static void print(String bench, String metric, double value, String unit, String baseline, String ratio,
                              String kind, String... extra) {
        Map<String, String> kv = new LinkedHashMap<>();
        kv.put("bench", bench);
        kv.put("metric", metric);
        kv.put("value", fmt(value));
        kv.put("unit", unit);
        kv.put("baseline", token(baseline));
        kv.put("ratio", ratio);
        kv.put("baseline_kind", kind);
        for (int i = 0; i + 1 < extra.length; i += 2) {
            kv.put(extra[i], token(extra[i + 1]));
        }
        System.out.printf(Locale.ROOT, "  %-10s %-28s %12s %-8s baseline %12s   ratio %s%n", bench, metric, fmt(value), unit,
                baseline, ratio.equals("-") ? "-" : ratio + "x");
        StringBuilder b = new StringBuilder("RESULT");
        kv.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        System.out.println(b);
        System.out.flush();
    }

    public static String fmt(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "-";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v); // counts
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String token(String s) {
        return s == null || s.isEmpty() ? "-" : s.replaceAll("\\s+", "_");
    }
}
