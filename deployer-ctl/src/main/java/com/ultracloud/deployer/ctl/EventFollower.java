package com.ultracloud.deployer.ctl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Follows {@code GET /api/v1/events/stream}: prints each event as one JSON line, and when the connection drops (or
 * the deployer cuts this client off with its resume hint, or nothing, not even a heartbeat, arrives for
 * {@code idleTimeout}) connects again with {@code Last-Event-ID}, so no event is missed and none printed twice.
 */
final class EventFollower {

    /** What the follower does with what it reads. */
    interface Sink {
        /** One event (its type and data); false stops the follower. */
        boolean event(String type, String data) throws IOException, InterruptedException;

        /** The stream is open (again): everything from here on will arrive; false stops the follower. */
        default boolean connected() throws IOException, InterruptedException {
            return true;
        }
    }

    private final Deployer deployer;
    private final String path;
    private final Sink sink;
    private final PrintStream err;
    private final Duration idleTimeout;
    private String lastId;
    private long printed;
    private volatile long lastRead;

    EventFollower(Deployer deployer, String path, String from, PrintStream out, PrintStream err, Duration idleTimeout) {
        this(deployer, path, from, (type, data) -> {
            out.println(data);
            out.flush();
            return true;
        }, err, idleTimeout);
    }

    EventFollower(Deployer deployer, String path, String from, Sink sink, PrintStream err, Duration idleTimeout) {
        this.deployer = deployer;
        this.path = path;
        this.lastId = from;
        this.sink = sink;
        this.err = err;
        this.idleTimeout = idleTimeout;
    }

    /** Follows until {@code count} events were printed (0: until interrupted); a refusal ends it with its exception. */
    void follow(long count) throws IOException, InterruptedException {
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "idle-watchdog");
            t.setDaemon(true);
            return t;
        });
        try {
            long backoff = 500;
            while (count == 0 || printed < count) {
                String why;
                try (InputStream in = deployer.stream(path, lastId)) {
                    backoff = 500;
                    lastRead = System.nanoTime();
                    var check = watchdog.scheduleWithFixedDelay(() -> closeWhenIdle(in), 1, 1, TimeUnit.SECONDS);
                    try {
                        why = read(in, count);
                    } finally {
                        check.cancel(false);
                    }
                } catch (Deployer.Refused e) {
                    throw e;
                } catch (IOException e) {
                    why = "connection lost (" + e.getMessage() + ")";
                }
                if (why == null) {
                    return;
                }
                err.println("deployer-ctl: " + why + "; resuming " + (lastId == null ? "from now" : "after id " + lastId)
                        + " in " + backoff + " ms");
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 10_000);
            }
        } finally {
            watchdog.shutdownNow();
        }
    }

    /** Hands events to the sink until the stream ends; null when done ({@code count} events, or the sink said stop), else why it ended. */
    private String read(InputStream in, long count) throws IOException, InterruptedException {
        boolean opened = false;
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String id = null;
        String event = null;
        StringBuilder data = null;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            lastRead = System.nanoTime();
            if (!line.isEmpty()) {
                if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    String d = line.substring(5).stripLeading();
                    data = data == null ? new StringBuilder(d) : data.append('\n').append(d);
                }
                continue;
            }
            if ("resume".equals(event)) {
                return "the deployer cut this client off (" + (data == null ? "" : data) + ")";
            }
            if (data != null) {
                printed++;
                if (!sink.event(event, data.toString())) {
                    return null;
                }
            } else if (!opened && !sink.connected()) {
                return null; // the first frame of a connection is a heartbeat: the stream is open
            }
            opened = true;
            if (id != null) {
                lastId = id; // also from heartbeats: everything up to it was sent
            }
            if (count > 0 && printed >= count) {
                return null;
            }
            id = null;
            event = null;
            data = null;
        }
        return "the stream ended";
    }

    private void closeWhenIdle(InputStream in) {
        if (System.nanoTime() - lastRead > idleTimeout.toNanos()) {
            try {
                in.close(); // the blocked read fails; follow() connects again
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
