package com.ultracloud.deployer.bench.support;

import java.util.Arrays;

/** Latencies in nanoseconds, recorded from many threads; percentiles by the nearest-rank method. */
public final class Latencies {

    private long[] values;
    private int size;

    public Latencies(int expected) {
        values = new long[Math.max(16, expected)];
    }

    public synchronized void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    public synchronized int count() {
        return size;
    }

    /** The {@code p}-th percentile (0 &lt; p ≤ 100) in milliseconds; 0 when nothing was recorded. */
    public synchronized double percentileMillis(double p) {
        return percentile(Arrays.copyOf(values, size), p) / 1e6;
    }

    public double maxMillis() {
        return percentileMillis(100);
    }

    /** Nearest rank: the smallest value such that at least p % of the values are ≤ it. */
    static long percentile(long[] unsorted, double p) {
        if (unsorted.length == 0) {
            return 0;
        }
        long[] sorted = unsorted.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }
}
