package com.ultracloud.deployer.gateway.rollout;

import com.ultracloud.deployer.gateway.PostgresDatabase;
import com.ultracloud.deployer.gateway.RunningGateway;
import com.ultracloud.deployer.gateway.bootstrap.LabIntent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The rollout loop end to end on the {@code postgres} profile (the generation sequence, V27/V28 on PostgreSQL). */
class PostgresRolloutFlowTest {

    @TempDir
    static Path dataDir;
    static PostgresDatabase db;
    static RunningGateway gw;

    @BeforeAll
    static void start() {
        db = PostgresDatabase.create("rollout_flow");
        List<String> args = new ArrayList<>(List.of(db.gatewayArgs()));
        args.add("--deployer.data-dir=" + dataDir);
        args.add("--deployer.credentials.kek=" + com.ultracloud.deployer.machine.domain.credentials.KeySealer.generateKek());
        gw = LabIntent.start(args.toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
        db.close();
    }

    @Test
    void aBatchedRolloutSucceedsOnHealthyReportsAndTheNextStopsAtItsThresholdLeavingTheRestUntouched() throws Exception {
        new RolloutScenario(gw, 830).run();
    }
}
