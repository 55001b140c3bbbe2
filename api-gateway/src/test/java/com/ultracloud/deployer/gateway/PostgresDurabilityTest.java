package com.ultracloud.deployer.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** Restart durability on the postgres profile, with Flyway creating the schema in a fresh database. */
class PostgresDurabilityTest {

    PostgresDatabase db;

    @BeforeEach
    void createDatabase() {
        db = PostgresDatabase.create("deployer_durability");
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    @Test
    void machinesStatesAndHistoriesSurviveARestartAndARebuildEqualsTheLiveProjection() throws Exception {
        DurabilityScenario.run(() -> RunningGateway.start(db.gatewayArgs()));
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            ResultSet types = s.executeQuery("select data_type from information_schema.columns "
                    + "where table_name = 'domain_event_entry' and column_name = 'payload'");
            assertThat(types.next()).isTrue();
            assertThat(types.getString(1)).as("payloads are bytea, not large objects").isEqualTo("bytea");
            ResultSet gaps = s.executeQuery("select max(global_index) - min(global_index) + 1 - count(*) "
                    + "from domain_event_entry");
            gaps.next();
            assertThat(gaps.getLong(1)).as("no gaps in the global index").isZero();
        }
    }
}
