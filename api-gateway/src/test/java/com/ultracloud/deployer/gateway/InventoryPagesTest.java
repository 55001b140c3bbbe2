package com.ultracloud.deployer.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** {@link InventoryPages} on the embedded default (H2 file). */
class InventoryPagesTest {

    @TempDir
    static Path dataDir;
    static RunningGateway gw;
    static InventoryPages pages;

    @BeforeAll
    static void start() {
        gw = RunningGateway.embedded(dataDir, "--deployer.enrollment.automation=false");
        pages = new InventoryPages(gw);
        pages.fill();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void keysetPagesWalkTheSameRowsAsOffsetPages() {
        pages.keysetPagesWalkTheSameRowsAsOffsetPages();
    }

    @Test
    void totalsComeFromCountsThatEqualTheRows() {
        pages.totalsComeFromCountsThatEqualTheRows();
    }

    @Test
    void aForeignOrStaleCursorIsRefused() {
        pages.aForeignOrStaleCursorIsRefused();
    }
}
