package com.ultracloud.deployer.ctl;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The follower against a scripted SSE server: it resumes with {@code Last-Event-ID} after the stream ends, after the
 * deployer's resume hint and after a heartbeat (whose id it keeps), prints each event once, and stops at a refusal.
 * DeployerCtlIT does the same against the real gateway through a proxy that cuts the connection.
 */
class EventFollowerTest {

    private HttpServer server;
    private final List<String> lastEventIds = Collections.synchronizedList(new ArrayList<>());

    private Deployer serve(List<String> answers, int status) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/events/stream", exchange -> {
            lastEventIds.add(exchange.getRequestHeaders().getFirst("Last-Event-ID"));
            int n = lastEventIds.size() - 1;
            exchange.getResponseHeaders().set("Content-Type", status == 200 ? "text/event-stream" : "application/problem+json");
            exchange.sendResponseHeaders(status, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answers.get(Math.min(n, answers.size() - 1)).getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (n == answers.size() - 1 && status == 200) {
                    Thread.sleep(5_000); // the last answer stays open; --count ends the follower first
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        Deployer deployer = new Deployer();
        deployer.url = "http://127.0.0.1:" + server.getAddress().getPort();
        return deployer;
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void resumesFromTheLastIdAfterTheStreamEndsAndAfterTheResumeHint() throws Exception {
        Deployer deployer = serve(List.of(
                "id: 10\n: heartbeat\n\nid: 11\nevent: MachineDiscovered\ndata: {\"n\":1}\n\n",
                "id: 12\nevent: MachineInspected\ndata: {\"n\":2}\n\nid: 12\nevent: resume\ndata: {\"lastEventId\":\"12\"}\n\n",
                "id: 13:12\n: heartbeat\n\nid: 14\nevent: MachineDiscovered\ndata: {\"n\":3}\n\n"), 200);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        new EventFollower(deployer, "/api/v1/events/stream", null, new PrintStream(out, true), new PrintStream(err, true),
                Duration.ofSeconds(30)).follow(3);
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
        assertThat(lastEventIds).containsExactly(null, "11", "12");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("the stream ended; resuming after id 11")
                .contains("cut this client off");
    }

    @Test
    void reconnectsWhenNotEvenAHeartbeatArrives() throws Exception {
        Deployer deployer = serve(List.of("id: 20\n: heartbeat\n\n", "id: 21\nevent: MachineDiscovered\ndata: {\"n\":1}\n\n"), 200);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // the first answer stays open and silent after its heartbeat: after 1 s the follower gives up on it
        server.removeContext("/api/v1/events/stream");
        server.createContext("/api/v1/events/stream", exchange -> {
            lastEventIds.add(exchange.getRequestHeaders().getFirst("Last-Event-ID"));
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write((lastEventIds.size() == 1 ? "id: 20\n: heartbeat\n\n" : "id: 21\nevent: E\ndata: {\"n\":1}\n\n")
                        .getBytes(StandardCharsets.UTF_8));
                o.flush();
                Thread.sleep(4_000);
            } catch (InterruptedException | IOException e) {
                Thread.currentThread().interrupt();
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new EventFollower(deployer, "/api/v1/events/stream", null, new PrintStream(out, true), new PrintStream(err, true),
                Duration.ofSeconds(1)).follow(1);
        assertThat(out.toString(StandardCharsets.UTF_8).strip()).isEqualTo("{\"n\":1}");
        assertThat(lastEventIds).containsExactly(null, "20");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("connection lost");
    }

    @Test
    void aRefusalEndsItWithTheProblem() throws Exception {
        Deployer deployer = serve(List.of("{\"title\":\"Bad Request\",\"detail\":\"invalid event stream filter\"}"), 400);
        assertThatThrownBy(() -> new EventFollower(deployer, "/api/v1/events/stream?type=Nope", null,
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()), Duration.ofSeconds(5))
                .follow(0))
                .isInstanceOf(Deployer.Refused.class).hasMessageContaining("answered 400").hasMessageContaining("invalid event stream filter");
        assertThat(lastEventIds).hasSize(1);
    }
}
