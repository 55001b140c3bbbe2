package com.ultracloud.deployer.protocol.disk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.Map;

import static com.ultracloud.deployer.protocol.disk.ServerDisks.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plan carries {@code rootDevice.matchedHints} = {@link RootDeviceResolution#matchedHints()}; the
 * installer rebuilds the hints from it with {@link RootDeviceHints#parse}. That only works if the
 * normalised expressions parse back to the same hints and resolve to the same disk.
 */
class MatchedHintsRoundTripTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "size=>= 1000",
            "size=<= 500|rotational=no",
            "model=<in> mzql21t9",
            "serial=s!= S64GNE0R700123|rotational=0",
            "vendor=<or> ata <or> samsung|rotational=false",
            "name=nvme1n1",
            "by_path=pci-0000:00:17.0-ata-1",
            "wwn=s== 0x55cd2e415123abcd",
            "hctl=0:0:0:0|size=> 100"})
    void matchedHintsParseBackToTheSameHintsAndTheSameDisk(String spec) {
        Map<String, Object> raw = new LinkedHashMap<>();
        for (String pair : spec.split("\\|")) {
            int eq = pair.indexOf('=');
            raw.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        RootDeviceHints operator = RootDeviceHints.parse(raw);
        RootDeviceResolution planned = RootDeviceResolver.resolve(SERVER, operator);
        assertThat(planned.path()).as("the deployer's choice for %s", spec).isNotNull();

        RootDeviceHints rebuilt = RootDeviceHints.parse(Map.copyOf(planned.matchedHints()));
        assertThat(rebuilt).isEqualTo(operator);
        RootDeviceResolution local = RootDeviceResolver.resolve(SERVER, rebuilt);
        assertThat(local.path()).isEqualTo(planned.path());
        assertThat(local.matchedHints()).isEqualTo(planned.matchedHints());
    }

    @Test
    void noHintsMeansEmptyMatchedHintsAndTheSameDefaultChoice() {
        RootDeviceResolution planned = RootDeviceResolver.resolve(SERVER, RootDeviceHints.none());
        assertThat(planned.matchedHints()).isEmpty();
        assertThat(RootDeviceResolver.resolve(SERVER, RootDeviceHints.parse(planned.matchedHints())).path())
                .isEqualTo(planned.path());
    }
}
