package com.ultracloud.deployer.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link InventoryPages} on the postgres profile. */
class PostgresInventoryPagesTest {

    static PostgresDatabase db;
    static RunningGateway gw;
    static InventoryPages pages;

    @BeforeAll
    static void start() {
        db = PostgresDatabase.create("inventory_pages");
        gw = RunningGateway.start(concat(db.gatewayArgs(), "--deployer.enrollment.automation=false"));
        pages = new InventoryPages(gw);
        pages.fill();
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
        db.close();
    }

    private static String[] concat(String[] args, String more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = more;
        return all;
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
