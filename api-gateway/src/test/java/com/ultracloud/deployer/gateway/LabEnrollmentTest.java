package com.ultracloud.deployer.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

/** Intent import and enrollment of the 6-machine lab on the embedded default (H2 file). */
class LabEnrollmentTest {

    @TempDir
    static Path dataDir;
    static RunningGateway gw;

    @BeforeAll
    static void start() {
        gw = RunningGateway.embedded(dataDir);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void theLabIsImportedAndEveryMachineEnrollsAndGetsAnInstallPlan() throws Exception {
        LabEnrollmentScenario lab = new LabEnrollmentScenario(gw);
        lab.importTheLab();
        lab.aBrokenDocumentIsRefusedWithEveryError();
        Map<String, String> ids = lab.discoverTheLab();
        String dell = lab.anUnmatchedMachineWaits();
        lab.previewShowsTheMachinesAChangedDocumentWouldMove(ids, dell);
        lab.replayingThePolicySendsNoCommand(ids);
        lab.everyLabMachineGetsAnInstallPlan(ids);
    }
}
