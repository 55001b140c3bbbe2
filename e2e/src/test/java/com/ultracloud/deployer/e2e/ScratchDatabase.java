package com.ultracloud.deployer.e2e;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** A PostgreSQL database of one test's own on the local server (trust auth), dropped when closed. */
final class ScratchDatabase implements AutoCloseable {

    private static final String PG = "jdbc:postgresql://127.0.0.1:5432/";

    private final String name;

    private ScratchDatabase(String name) {
        this.name = name;
    }

    static ScratchDatabase create(String prefix) throws SQLException {
        ScratchDatabase db = new ScratchDatabase(prefix + "_" + Long.toString(System.nanoTime(), 36));
        sql("CREATE DATABASE " + db.name);
        return db;
    }

    /** The JDBC URL, for {@code --spring.datasource.url=}. */
    String url() {
        return PG + name;
    }

    /** A connection to it, for what a test checks in the tables themselves. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), "postgres", "");
    }

    @Override
    public void close() throws SQLException {
        sql("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG + "test", "postgres", "");
             Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
