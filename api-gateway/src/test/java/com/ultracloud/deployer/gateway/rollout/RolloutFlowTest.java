package com.ultracloud.deployer.gateway.rollout;

import com.ultracloud.deployer.gateway.RunningGateway;
import com.ultracloud.deployer.gateway.bootstrap.LabIntent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The rollout loop end to end on the embedded default (H2): {@link RolloutScenario}. */
class RolloutFlowTest {

    @TempDir
    static Path dataDir;
    static RunningGateway gw;

    @BeforeAll
    static void start() {
        gw = LabIntent.start("--deployer.data-dir=" + dataDir);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void aBatchedRolloutSucceedsOnHealthyReportsAndTheNextStopsAtItsThresholdLeavingTheRestUntouched() throws Exception {
        new RolloutScenario(gw, 810).run();
    }
}
