package com.ultracloud.deployer.gateway.audit;

import com.ultracloud.deployer.gateway.PostgresDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link EventStreamTest} on the postgres profile, where concurrent transactions commit out of position order for
 * real: the seam and gap handling under PostgreSQL's sequence. The static methods hide the H2 ones.
 */
class PostgresEventStreamTest extends EventStreamTest {

    static PostgresDatabase db;

    @BeforeAll
    static void start() {
        db = PostgresDatabase.create("event_stream");
        startGateway(db.gatewayArgs());
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
        db.close();
    }
}
