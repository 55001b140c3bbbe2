package com.ultracloud.deployer.gateway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh database on the project's PostgreSQL (127.0.0.1:5432, trust auth; .ci/run starts it),
 * created for one test class and dropped after it, so tests never see each other's events.
 */
public final class PostgresDatabase implements AutoCloseable {

    public static final String HOST = System.getProperty("deployer.test.pg.host", "127.0.0.1:5432");
    public static final String USER = System.getProperty("deployer.test.pg.user", "postgres");

    private final String name;

    private PostgresDatabase(String name) {
        this.name = name;
    }

    public static PostgresDatabase create(String prefix) {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin("CREATE DATABASE " + name);
        return new PostgresDatabase(name);
    }

    /** The database's name (for the PostgreSQL client tools: pg_dump, pg_restore, psql). */
    public String name() {
        return name;
    }

    public String url() {
        return "jdbc:postgresql://" + HOST + "/" + name;
    }

    /** Arguments that point the gateway's {@code postgres} profile at this database. */
    public String[] gatewayArgs() {
        return new String[]{"--spring.profiles.active=postgres", "--spring.datasource.url=" + url(),
                "--spring.datasource.username=" + USER};
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, "");
    }

    @Override
    public void close() {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + HOST + "/test", USER, "");
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + HOST + " is needed for this test ("
                    + e.getMessage() + "); start it with: pg_ctlcluster --skip-systemctl-redirect "
                    + "$(ls /etc/postgresql) main start", e);
        }
    }
}
