package com.ultracloud.deployer.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/** {@link FleetScaleCostTest} on the postgres profile: the same counts at 100 and 10,000 machines. */
class PostgresFleetScaleCostTest {

    static PostgresDatabase db;
    static RunningGateway gw;

    @BeforeAll
    static void start() {
        db = PostgresDatabase.create("fleet_cost");
        List<String> args = new ArrayList<>(List.of(db.gatewayArgs()));
        args.add("--deployer.enrollment.automation=false");
        gw = RunningGateway.startWith(List.of(StatementCounter.Wiring.class), args.toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
        db.close();
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
        System.out.println("fleet-scale cost (PostgreSQL):\n" + FleetScaleCost.table(small, large));
        FleetScaleCost.assertConstant(small, large);
        fleet.aRetiredMachinesHostnameIsOfferedFirst();
    }
}
