package com.ultracloud.deployer.bench.support;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LabFactsTest {

    @Test
    void everyBodyIsADistinctMachineAndRunsRepeat() throws Exception {
        System.setProperty("bench.hardware", "../nix/examples/lab/hardware");
        List<byte[]> a = LabFacts.bodies(60, 7);
        List<byte[]> b = LabFacts.bodies(60, 7);
        Set<String> distinct = new HashSet<>();
        a.forEach(x -> distinct.add(new String(x, StandardCharsets.UTF_8)));
        assertThat(distinct).hasSize(60);
        assertThat(new String(b.get(59), StandardCharsets.UTF_8)).isEqualTo(new String(a.get(59), StandardCharsets.UTF_8));
    }
}
