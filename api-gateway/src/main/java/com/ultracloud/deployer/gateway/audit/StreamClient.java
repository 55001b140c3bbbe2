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
 * catch-up read; the container calls {@link #onWritePossible} when a full socket drains.
 * <p>
 * Two locks. {@code this} guards the queue and the cursor; {@code io} guards every use of the request and its
 * stream. The container's own callbacks ({@code onComplete}, {@code onError}, {@code onWritePossible}) take
 * {@code io} too, and the container recycles a request's objects for the next connection once they return. So no
 * write of this client can land in another connection's response. Lock order: {@code io}, then {@code this}.
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
    private final Object io = new Object();

    // guarded by this
    private StreamCursor cursor;
    private Phase phase = Phase.CATCHING_UP;
    private boolean reading;
    private boolean writing;
    private boolean awaitingReady = true; // until the container's first onWritePossible
    private boolean unflushed;
    private long lastProgress = System.nanoTime();
    private long closingSince;
    private long delivered;
    // guarded by io: the request was completed (by the deployer or the container); never touch it again
    private boolean ended;

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

    /**
     * The final event: what the client has is everything up to {@code upTo}; it reconnects with that as
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

    private static byte[] frame(String id, String type, byte[] data) {
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
        synchronized (this) {
            if (writing || awaitingReady || phase == Phase.CLOSED) {
                return;
            }
            writing = true;
        }
        boolean room = false;
        try {
            synchronized (io) {
                while (true) {
                    if (ended || !out.isReady()) {
                        synchronized (this) {
                            awaitingReady = !ended; // the container calls onWritePossible once it takes more
                            writing = false;
                        }
                        break;
                    }
                    byte[] next;
                    synchronized (this) {
                        next = queue.poll();
                        if (next != null) {
                            lastProgress = System.nanoTime();
                            unflushed = true;
                            room |= phase == Phase.CATCHING_UP && queue.size() == capacity / 2;
                        } else if (unflushed) {
                            unflushed = false;
                        } else {
                            writing = false;
                            room |= phase == Phase.CATCHING_UP;
                            if (phase == Phase.CLOSING) {
                                phase = Phase.CLOSED;
                                completeLocked();
                            }
                            break;
                        }
                    }
                    if (next == null) {
                        out.flush();
                    } else {
                        out.write(next);
                    }
                }
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away: the container ends the request (onError, on its own thread)
            log.debug("event stream client gone after {} events: {}", delivered, e.toString());
            abandon();
            return;
        }
        if (room) {
            onRoom.run(); // the next catch-up page, now that the client has read half of its queue
        }
    }

    @Override
    public void onWritePossible() {
        synchronized (io) {
            synchronized (this) {
                awaitingReady = false;
            }
        }
        drain();
    }

    /** Ends the connection now, on the deployer's initiative (it stalled too long, a catch-up read failed, shutdown). */
    void close() {
        synchronized (io) {
            synchronized (this) {
                phase = Phase.CLOSED;
                queue.clear();
            }
            completeLocked();
        }
    }

    /** Holding {@code io}: completes the request once; the container then calls onComplete and recycles it. */
    private void completeLocked() {
        if (ended) {
            return;
        }
        ended = true;
        try {
            async.complete();
        } catch (IllegalStateException alreadyEnded) {
            // the container ended it
        }
    }

    /** The connection failed: nothing more is written; the container ends the request. */
    private synchronized void abandon() {
        phase = Phase.CLOSED;
        queue.clear();
        writing = false;
    }

    /** A write the container made failed (it calls {@link #onError(AsyncEvent)} next). */
    @Override
    public void onError(Throwable t) {
        abandon();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        synchronized (io) {
            ended = true; // before the container recycles the request's objects
        }
        abandon();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        endOnContainerThread(event);
    }

    @Override
    public void onError(AsyncEvent event) {
        endOnContainerThread(event);
    }

    /** Called by the container on its own thread, so completing here cannot race with its recycling of the request. */
    private void endOnContainerThread(AsyncEvent event) {
        abandon();
        synchronized (io) {
            if (!ended) {
                ended = true;
                try {
                    event.getAsyncContext().complete();
                } catch (IllegalStateException alreadyEnded) {
                    // completed meanwhile
                }
            }
        }
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}
