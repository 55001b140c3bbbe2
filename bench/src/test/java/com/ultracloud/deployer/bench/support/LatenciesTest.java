package com.ultracloud.deployer.bench.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LatenciesTest {

    @Test
    void percentilesUseTheNearestRank() {
        Latencies l = new Latencies(4);
        for (int i = 100; i >= 1; i--) {
            l.add(i * 1_000_000L); // 1 … 100 ms, recorded out of order
        }
        assertThat(l.count()).isEqualTo(100);
        assertThat(l.percentileMillis(50)).isEqualTo(50.0);
        assertThat(l.percentileMillis(90)).isEqualTo(90.0);
        assertThat(l.percentileMillis(99)).isEqualTo(99.0);
        assertThat(l.maxMillis()).isEqualTo(100.0);
    }

    @Test
    void nothingRecordedIsZero() {
        assertThat(new Latencies(0).percentileMillis(99)).isZero();
    }

    @Test
    void aSingleValueIsEveryPercentile() {
        Latencies l = new Latencies(1);
        l.add(7_000_000L);
        assertThat(l.percentileMillis(1)).isEqualTo(7.0);
        assertThat(l.percentileMillis(100)).isEqualTo(7.0);
    }
}
