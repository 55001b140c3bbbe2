package com.ultracloud.deployer.machine.domain.intent;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The (stem, index) split that lets the inventory find a pattern's lowest free index in one indexed query. */
class HostnamePatternTest {

    @Test
    void everyHostnameAPatternRendersSplitsIntoThePatternsStemAndItsIndex() {
        for (String pattern : List.of("wk-{index:02}", "node{index}", "rack-a-n{index:03}.lab", "{index}", "{index:05}x")) {
            String stem = HostnamePattern.stemOf(pattern).orElseThrow();
            int width = HostnamePattern.width(pattern);
            for (int i = 0; i <= 1200; i++) {
                String h = HostnamePattern.render(pattern, i);
                HostnamePattern.Slot slot = HostnamePattern.slotOf(h).orElseThrow();
                assertThat(slot.stem()).as(h).isEqualTo(stem);
                assertThat(slot.index()).as(h).isEqualTo(i);
                assertThat(slot.renderedWithWidth(width)).as(h).isTrue();
            }
        }
    }

    @Test
    void aNameWrittenOtherwiseThanThePatternWritesItsIndexIsNotThatIndexsName() {
        assertThat(HostnamePattern.slotOf("wk-1").orElseThrow().renderedWithWidth(2)).isFalse();
        assertThat(HostnamePattern.slotOf("wk-001").orElseThrow().renderedWithWidth(2)).isFalse();
        assertThat(HostnamePattern.slotOf("wk-010").orElseThrow().renderedWithWidth(2)).isFalse();
        assertThat(HostnamePattern.slotOf("wk-01").orElseThrow().renderedWithWidth(1)).isFalse();
        assertThat(HostnamePattern.slotOf("wk-100").orElseThrow().renderedWithWidth(2)).isTrue();
        assertThat(HostnamePattern.slotOf("gateway")).isEmpty();
        assertThat(HostnamePattern.slotOf("n1234567890")).as("more digits than an index has").isEmpty();
    }

    @Test
    void patternsWhoseIndexIsNotTheHostnamesLastDigitsHaveNoStem() {
        assertThat(HostnamePattern.stemOf("n1{index}")).isEmpty();
        assertThat(HostnamePattern.stemOf("{index}-r2")).isEmpty();
        assertThat(HostnamePattern.stemOf("r{index}-n{index}")).isEmpty();
        assertThat(HostnamePattern.stemOf("gateway")).isEmpty();
        assertThat(HostnamePattern.stemOf("r1-n{index:02}.lab")).hasValue("r1-n{#}.lab");
    }
}
