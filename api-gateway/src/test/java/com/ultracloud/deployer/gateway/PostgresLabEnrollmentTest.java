package com.ultracloud.deployer.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

/** The lab's intent import and enrollment on the postgres profile. */
class PostgresLabEnrollmentTest {

    static PostgresDatabase db;
    static RunningGateway gw;

    @BeforeAll
    static void start() {
        db = PostgresDatabase.create("lab_enrollment");
        gw = RunningGateway.start(db.gatewayArgs());
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
        db.close();
    }

    @Test
    void theLabIsImportedAndEveryMachineEnrollsAndGetsAnInstallPlan() throws Exception {
        LabEnrollmentScenario lab = new LabEnrollmentScenario(gw);
        lab.importTheLab();
        lab.aBrokenDocumentIsRefusedWithEveryError();
        Map<String, String> ids = lab.discoverTheLab();
        String dell = lab.anUnmatchedMachineWaits();
        lab.previewShowsTheMachinesAChangedDocumentWouldMove(ids, dell);
        lab.everyLabMachineGetsAnInstallPlan(ids);
    }
}
