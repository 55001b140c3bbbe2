package com.ultracloud.deployer.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

/**
 * Discover, machine detail and the enrollment steps cost the same with 10,000 machines in the inventory
 * as with 100 (issue 9 acceptance), on the embedded default (H2). Enrollment automation is off so
 * that every step is the test's own, taken through the operator API (the same {@code Enrollments}
 * path the enrollment policy takes).
 */
class FleetScaleCostTest {

    @TempDir
    static Path dataDir;
    static RunningGateway gw;

    @BeforeAll
    static void start() {
        gw = RunningGateway.startWith(List.of(StatementCounter.Wiring.class), "--deployer.data-dir=" + dataDir,
                "--deployer.enrollment.automation=false");
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void discoverDetailAndEnrollmentStepsCostTheSameAt100And10000Machines() throws Exception {
        FleetScaleCost fleet = new FleetScaleCost(gw);
        fleet.importIntent();
        fleet.enrollTheTemplate();
        fleet.seedUpTo(100);
        FleetScaleCost.Costs small = fleet.measure(100);
        fleet.seedUpTo(10_000);
        FleetScaleCost.Costs large = fleet.measure(10_000);
        System.out.println("fleet-scale cost (H2):\n" + FleetScaleCost.table(small, large));
        FleetScaleCost.assertConstant(small, large);
        fleet.aRetiredMachinesHostnameIsOfferedFirst();
    }
}
