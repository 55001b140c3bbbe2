package com.ultracloud.deployer.bench.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A fresh PostgreSQL database for one benchmark run, dropped on close unless {@code BENCH_KEEP_DATABASE=1}
 * (to look at its query plans afterwards). Administered through the {@code test} database as
 * {@code postgres} (trust auth on loopback; {@code PGHOST}/{@code PGPORT} override).
 */
public final class Database implements AutoCloseable {

    private static final String HOST = System.getenv().getOrDefault("PGHOST", "127.0.0.1");
    private static final String PORT = System.getenv().getOrDefault("PGPORT", "5432");
    public static final String USER = "postgres";

    private final String name;

    private Database(String name) {
        this.name = name;
    }

    public static Database create(String bench) throws SQLException {
        String name = "ucbench_" + bench + "_" + ProcessHandle.current().pid() + "_" + (System.currentTimeMillis() % 100000);
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        }
        return new Database(name);
    }

    public String name() {
        return name;
    }

    public String url() {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + name;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, "");
    }

    /**
     * {@code ANALYZE}: gives the planner the statistics autovacuum's auto-analyze keeps on a default
     * PostgreSQL. This machine's PostgreSQL runs with {@code autovacuum = off} (conf.d/90-ci.conf), so a
     * table filled by a benchmark would otherwise be planned as if it were empty.
     */
    public void analyze() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("analyze");
        }
    }

    @Override
    public void close() {
        if ("1".equals(System.getenv("BENCH_KEEP_DATABASE"))) {
            System.err.println("kept database " + name + " (BENCH_KEEP_DATABASE=1): drop it with "
                    + "psql -h " + HOST + " -U postgres -d test -c 'drop database " + name + " with (force)'");
            return;
        }
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + name + " with (force)");
        } catch (SQLException e) {
            System.err.println("could not drop database " + name + ": " + e.getMessage());
        }
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/test", USER, "");
    }
}
