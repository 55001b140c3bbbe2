package com.ultracloud.deployer.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Restart durability on the embedded default: a fresh H2 file under --deployer.data-dir. */
class EmbeddedDurabilityTest {

    @TempDir
    Path dataDir;

    @Test
    void machinesStatesAndHistoriesSurviveARestartAndARebuildEqualsTheLiveProjection() {
        DurabilityScenario.run(() -> RunningGateway.embedded(dataDir));
        assertThat(Files.exists(dataDir.resolve("deployer.mv.db"))).isTrue();
    }
}
