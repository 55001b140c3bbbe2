package com.ultracloud.deployer.gateway.audit;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * One SSE connection: its cursor, its filter and a bounded queue of frames written with Servlet non-blocking IO
 * (a {@link WriteListener}: bytes go out only while the socket takes them, so a client that stops reading never
 * blocks the thread that feeds it, nor any other client). Offers come from the stream's reader thread (live) or a
 * catch-up read; the container calls {@link #onWritePossible} when a full socket drains. One thread writes at a
 * time ({@code writing}); the rest only queue.
 */
final class StreamClient implements WriteListener, AsyncListener {

    private static final Logger log = LoggerFactory.getLogger(StreamClient.class);

    enum Phase { CATCHING_UP, LIVE, CLOSING, CLOSED }

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final StreamFilter filter;
    private final int capacity;
    private final Runnable onRoom;
    private final Runnable onCutOff;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();

    private StreamCursor cursor;
    private Phase phase = Phase.CATCHING_UP;
    private boolean writing;
    private boolean awaitingReady = true; // until the container's first onWritePossible
    private boolean unflushed;
    private long lastProgress = System.nanoTime();
    private long closingSince;
    private long delivered;

    StreamClient(AsyncContext async, ServletOutputStream out, StreamFilter filter, StreamCursor cursor, int capacity,
                 Runnable onRoom, Runnable onCutOff) {
        this.async = async;
        this.out = out;
        this.filter = filter;
        this.cursor = cursor;
        this.capacity = capacity;
        this.onRoom = onRoom;
        this.onCutOff = onCutOff;
    }

    private boolean reading;

    /** True when no catch-up read is under way for this client: the caller then runs one, and {@link #readDone} after. */
    synchronized boolean claimRead() {
        if (reading || phase != Phase.CATCHING_UP) {
            return false;
        }
        reading = true;
        return true;
    }

    synchronized void readDone() {
        reading = false;
    }

    synchronized StreamCursor cursor() {
        return cursor;
    }

    synchronized Phase phase() {
        return phase;
    }

    /** A client that wants only what comes next: live at once, from where the store's reader is. */
    synchronized void startAt(StreamCursor now) {
        cursor = now;
        phase = Phase.LIVE;
    }

    /** Cut off at the cursor (everything offered so far is queued): the client resumes from there. */
    void cutOff(String reason) {
        synchronized (this) {
            if (phase == Phase.CLOSING || phase == Phase.CLOSED) {
                return;
            }
            cutOff(cursor, reason);
        }
        drain();
    }

    synchronized void live() {
        if (phase == Phase.CATCHING_UP) {
            phase = Phase.LIVE;
        }
    }

    /** Frames the queue can still take before a live client is cut off (a catch-up read asks no more than this). */
    synchronized int room() {
        return phase == Phase.CLOSING || phase == Phase.CLOSED ? 0 : capacity - queue.size();
    }

    /**
     * The event at {@code position}, unless the cursor has it already (the seam between the catch-up read and the live
     * stream delivers some events twice; the client gets each once). Returns false once the client is closing.
     */
    boolean offer(long position, ExportedEvent event, Supplier<byte[]> data) {
        synchronized (this) {
            if (phase == Phase.CLOSING || phase == Phase.CLOSED) {
                return false;
            }
            if (cursor.covers(position)) {
                return true;
            }
            StreamCursor before = cursor;
            cursor = cursor.advanceTo(position);
            if (!filter.matches(event)) {
                return true;
            }
            if (queue.size() >= capacity) {
                // what is queued is everything up to the cursor before this event: resuming there loses nothing
                cutOff(before, "this client fell " + capacity + " events behind");
            } else {
                queue.add(frame(cursor.id(), event.type(), data.get()));
                delivered++;
            }
        }
        drain();
        return true;
    }

    /** Drops gaps the stream's reader gave up (see {@link StreamCursor#withoutGapsGivenUpBy}). */
    synchronized void forgetGivenUpGaps(GapAwareTrackingToken reader) {
        cursor = cursor.withoutGapsGivenUpBy(reader);
    }

    /**
     * A heartbeat when nothing waits to go out: proxies keep the connection, the client knows it is alive. It carries
     * the cursor as its id (nothing offered is still queued, so the client has all up to it): a client whose filter
     * lets little through, or that has seen no event yet, resumes from here instead of from its last event.
     */
    void heartbeat() {
        synchronized (this) {
            if (phase == Phase.CLOSING || phase == Phase.CLOSED || !queue.isEmpty()) {
                return;
            }
            queue.add(("id: " + cursor.id() + "\n: heartbeat\n\n").getBytes(StandardCharsets.UTF_8));
        }
        drain();
    }

    /** True when the client read nothing for {@code nanos} although frames wait for it, or a cut-off is overdue. */
    synchronized boolean stalledFor(long nanos) {
        long now = System.nanoTime();
        return (phase == Phase.CLOSING && now - closingSince > nanos)
                || (!queue.isEmpty() && now - lastProgress > nanos);
    }

    /**
     * The final event: what the client has is everything up to {@code lastEventId}; it reconnects with that as
     * {@code Last-Event-ID} and loses nothing. Queued frames go first; then the connection is closed.
     */
    private void cutOff(StreamCursor upTo, String reason) {
        String id = upTo.id();
        String data = "{\"reason\":\"" + reason + "\",\"lastEventId\":\"" + id
                + "\",\"resume\":\"reconnect with the header Last-Event-ID: " + id + "\"}";
        queue.add(frame(id, "resume", data.getBytes(StandardCharsets.UTF_8)));
        phase = Phase.CLOSING;
        closingSince = System.nanoTime();
        onCutOff.run();
        log.info("event stream client cut off after {} events: {}", delivered, reason);
    }

    private byte[] frame(String id, String type, byte[] data) {
        byte[] head = ("id: " + id + "\nevent: " + type + "\ndata: ").getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[head.length + data.length + 2];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(data, 0, frame, head.length, data.length);
        frame[frame.length - 2] = '\n';
        frame[frame.length - 1] = '\n';
        return frame;
    }

    /** Writes queued frames while the socket takes them; the container calls back when it takes more. */
    private void drain() {
        boolean room = false;
        boolean complete = false;
        synchronized (this) {
            if (writing || awaitingReady || phase == Phase.CLOSED) {
                return;
            }
            writing = true;
        }
        try {
            while (true) {
                byte[] next;
                synchronized (this) {
                    if (!out.isReady()) {
                        awaitingReady = true;
                        writing = false;
                        break;
                    }
                    next = queue.poll();
                    if (next == null) {
                        if (unflushed) {
                            unflushed = false;
                            next = new byte[0]; // flush below, then look again
                        } else {
                            writing = false;
                            room = phase == Phase.CATCHING_UP;
                            if (phase == Phase.CLOSING) {
                                phase = Phase.CLOSED;
                                complete = true;
                            }
                            break;
                        }
                    } else {
                        lastProgress = System.nanoTime();
                        unflushed = true;
                        room = phase == Phase.CATCHING_UP && queue.size() == capacity / 2;
                    }
                }
                if (next.length == 0) {
                    out.flush();
                } else {
                    out.write(next);
                }
                if (room) {
                    room = false;
                    onRoom.run();
                }
            }
        } catch (IOException | IllegalStateException e) {
            close();
            return;
        }
        if (room) {
            onRoom.run();
        }
        if (complete) {
            complete();
        }
    }

    private void complete() {
        try {
            async.complete();
        } catch (IllegalStateException alreadyDone) {
            // the container completed it (the client went away)
        }
    }

    @Override
    public void onWritePossible() {
        synchronized (this) {
            awaitingReady = false;
        }
        drain();
    }

    /** Ends the connection now (the client went away, a write failed, or it stalled too long). */
    void close() {
        synchronized (this) {
            if (phase == Phase.CLOSED) {
                return;
            }
            phase = Phase.CLOSED;
            queue.clear();
        }
        complete();
    }

    @Override
    public void onError(Throwable t) {
        close();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        synchronized (this) {
            phase = Phase.CLOSED;
            queue.clear();
        }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        close();
    }

    @Override
    public void onError(AsyncEvent event) {
        close();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}
