package com.ultracloud.deployer.installer.agent;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP health endpoint on 127.0.0.1 (the new system's service, as the health check sees it). */
final class HealthEndpoint implements AutoCloseable {

    final AtomicInteger status;
    final AtomicInteger probes = new AtomicInteger();
    private final HttpServer server;

    HealthEndpoint(int status) throws IOException {
        this.status = new AtomicInteger(status);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/healthz", ex -> {
            probes.incrementAndGet();
            ex.sendResponseHeaders(this.status.get(), -1);
            ex.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/healthz";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
