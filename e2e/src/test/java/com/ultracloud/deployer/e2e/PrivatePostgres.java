package com.ultracloud.deployer.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL cluster of one test's own (Debian's {@code pg_createcluster}, trust auth, a free loopback port), so that
 * the test may stop and restart its server with {@code pg_ctlcluster} without touching the machine's cluster that the
 * other tests share. Dropped when closed. Needs root and the postgresql-common tools (CI has both).
 */
final class PrivatePostgres implements AutoCloseable {

    private final String version;
    private final String name;
    private final int port;

    private PrivatePostgres(String version, String name, int port) {
        this.version = version;
        this.name = name;
        this.port = port;
    }

    /** Whether this machine can make one: root, pg_createcluster, one installed PostgreSQL version. */
    static boolean available() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/pg_createcluster"))
                && installedVersion() != null;
    }

    static PrivatePostgres create(String prefix) throws Exception {
        String version = installedVersion();
        PrivatePostgres pg = new PrivatePostgres(version, prefix + "_" + Long.toString(System.nanoTime(), 36),
                GatewayProcess.freePort());
        pg.run("pg_createcluster", version, pg.name, "-p", Integer.toString(pg.port), "--", "--auth=trust");
        pg.start();
        return pg;
    }

    /** A new database in this cluster, as a JDBC URL for {@code --spring.datasource.url=}. */
    String createDatabase(String database) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbc("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        return jdbc(database);
    }

    /** {@code pg_ctlcluster --mode fast … stop}: open sessions are ended (SQLSTATE 57P01), as in a restart. */
    void stop() throws Exception {
        run("pg_ctlcluster", "--skip-systemctl-redirect", "--mode", "fast", version, name, "stop");
    }

    void start() throws Exception {
        run("pg_ctlcluster", "--skip-systemctl-redirect", version, name, "start");
    }

    private String jdbc(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public void close() throws Exception {
        run("pg_dropcluster", "--stop", version, name);
    }

    private static String installedVersion() {
        try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(p -> p.getFileName().toString()).sorted().reduce((a, b) -> b).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
        }
    }
}
