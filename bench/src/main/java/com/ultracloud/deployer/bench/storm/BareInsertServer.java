package com.ultracloud.deployer.bench.storm;

import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.Executors;

/**
 * The boot storm's baseline, run as its own JVM: a bare HTTP endpoint (the JDK's HttpServer) that
 * inserts each request body into PostgreSQL and commits, through a plain JDBC pool. Same thread and
 * pool sizes as the gateway's defaults (Tomcat 200 threads, Hikari 10 connections).
 * Usage: {@code BareInsertServer <jdbcUrl> <user>}; prints {@code LISTENING <port>} when ready.
 */
public final class BareInsertServer {

    static final int THREADS = 200;
    static final int POOL = 10;

    public static void main(String[] args) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[0]);
        config.setUsername(args[1]);
        config.setMaximumPoolSize(POOL);
        config.setAutoCommit(false);
        HikariDataSource pool = new HikariDataSource(config);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table if not exists bare_discover (id bigserial primary key, body text not null, "
                    + "received_at timestamptz not null default now())");
            c.commit();
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8192);
        server.setExecutor(Executors.newFixedThreadPool(THREADS));
        byte[] answer = "{\"state\":\"DISCOVERED\"}".getBytes(StandardCharsets.UTF_8);
        server.createContext("/api/v1/bootstrap/discover", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                try (Connection c = pool.getConnection();
                     PreparedStatement ps = c.prepareStatement("insert into bare_discover (body) values (?)")) {
                    ps.setString(1, body);
                    ps.executeUpdate();
                    c.commit();
                } catch (Exception e) {
                    exchange.sendResponseHeaders(500, -1);
                    return;
                }
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        server.start();
        System.out.println("LISTENING " + server.getAddress().getPort());
        System.out.flush();
    }

    private BareInsertServer() {
    }
}
