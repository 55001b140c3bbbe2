package com.ultracloud.deployer.gateway.audit;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One stream client without a server: its cursor sends each position once whatever order the reader and the seam
 * read offer them in, a late commit fills its gap, the id says which gaps are open, and a client whose socket is
 * full is cut off with the id up to which it has everything. EventStreamTest does the same through a real gateway.
 */
class StreamClientTest {

    /** A socket the test opens and closes: writes go to {@code written} while {@code ready}. */
    static final class Socket extends ServletOutputStream {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        boolean ready = true;
        WriteListener listener;

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            this.listener = listener;
            wake();
        }

        @Override
        public void write(int b) {
            written.write(b);
        }

        void open() {
            ready = true;
            wake();
        }

        /** What the container does when the socket takes bytes again. */
        private void wake() {
            try {
                listener.onWritePossible();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String text() {
            return written.toString(StandardCharsets.UTF_8);
        }
    }

    final Socket socket = new Socket();
    final AtomicBoolean completed = new AtomicBoolean();
    final AtomicInteger cutOffs = new AtomicInteger();
    final AsyncContext async = (AsyncContext) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[]{AsyncContext.class}, (proxy, method, args) -> {
                if (method.getName().equals("complete")) {
                    completed.set(true);
                }
                return null;
            });

    StreamClient client(StreamCursor from, StreamFilter filter, int capacity) {
        StreamClient c = new StreamClient(async, socket, filter, from, capacity, () -> { }, cutOffs::incrementAndGet);
        c.live();
        socket.setWriteListener(c);
        return c;
    }

    static ExportedEvent event(long position, String machine, String type) {
        return new ExportedEvent(position, "Machine", machine, 0L, type, Instant.EPOCH, Map.of(), Map.of());
    }

    boolean offer(StreamClient c, long position, String type) {
        return c.offer(position, event(position, "m-1", type), () -> ("{\"p\":" + position + "}").getBytes(StandardCharsets.UTF_8));
    }

    static final StreamFilter ALL = new StreamFilter(null, null, Set.of());

    @Test
    void eachPositionGoesOutOnceInWhateverOrderItIsOfferedAndTheIdNamesOpenGaps() {
        StreamClient c = client(StreamCursor.parse("4"), ALL, 100);
        offer(c, 5, "A");
        offer(c, 7, "A");     // 6 is still open: committed later
        offer(c, 7, "A");     // the seam read and the live reader both had it
        offer(c, 3, "A");     // before the client's id: it has it
        offer(c, 6, "A");     // the late commit
        offer(c, 8, "A");
        assertThat(socket.text()).isEqualTo("""
                id: 5
                event: A
                data: {"p":5}

                id: 7:6
                event: A
                data: {"p":7}

                id: 7
                event: A
                data: {"p":6}

                id: 8
                event: A
                data: {"p":8}

                """);
    }

    @Test
    void cursorsParseRoundTripAndForgetGapsTheReaderGaveUp() {
        StreamCursor c = StreamCursor.parse("42:39,41");
        assertThat(c.id()).isEqualTo("42:39,41");
        assertThat(c.covers(40)).isTrue();
        assertThat(c.covers(41)).isFalse();
        assertThat(c.covers(43)).isFalse();
        assertThat(c.advanceTo(41).id()).isEqualTo("42:39");
        // the reader is past 41 and no longer waits for it (given up), but still waits for 39
        assertThat(c.withoutGapsGivenUpBy(GapAwareTrackingToken.newInstance(50, Set.of(39L))).id()).isEqualTo("42:39");
        assertThat(c.withoutGapsGivenUpBy(GapAwareTrackingToken.newInstance(50, Set.of())).id()).isEqualTo("42");
        assertThat(StreamCursor.parse("-1").covers(0)).isFalse();
        for (String bad : List.of("", "x", "42:43", "42:", "4 2", "-2")) {
            assertThat(StreamCursor.parse(bad)).as(bad).isNull();
        }
    }

    @Test
    void filteredEventsMoveTheCursorWithoutAFrame() {
        StreamClient c = client(StreamCursor.parse("0"), new StreamFilter(null, null, Set.of("B")), 100);
        offer(c, 1, "A");
        offer(c, 2, "B");
        offer(c, 3, "A");
        c.heartbeat();
        assertThat(socket.text()).isEqualTo("id: 2\nevent: B\ndata: {\"p\":2}\n\nid: 3\n: heartbeat\n\n");
    }

    @Test
    void aClientWhoseSocketIsFullIsCutOffWithTheIdUpToWhichItHasEverything() {
        StreamClient c = client(StreamCursor.parse("0"), ALL, 3);
        socket.ready = false; // the client stopped reading
        offer(c, 1, "A");
        offer(c, 2, "A");
        offer(c, 3, "A");
        assertThat(cutOffs).hasValue(0);
        offer(c, 4, "A");     // a fourth event does not fit
        assertThat(cutOffs).hasValue(1);
        assertThat(offer(c, 5, "A")).as("a closing client takes nothing more").isFalse();
        assertThat(socket.text()).isEmpty();
        assertThat(completed).isFalse();

        socket.open();       // it reads again: the three queued events, the hint, the end
        assertThat(socket.text()).endsWith("""
                id: 3
                event: A
                data: {"p":3}

                id: 3
                event: resume
                data: {"reason":"this client fell 3 events behind","lastEventId":"3","resume":"reconnect with the header Last-Event-ID: 3"}

                """);
        assertThat(completed).isTrue();
    }
}
