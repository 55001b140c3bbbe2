package com.ultracloud.deployer.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * An SSE client over a plain socket (HTTP/1.0: no chunked framing), so a test controls what the JDK client would
 * hide: how small the receive buffer is, when it stops reading, and dropping the connection mid-stream.
 */
final class SseConnection implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One frame: an event ({@code event} its type, or {@code resume}), or a heartbeat comment ({@code event} null). */
    record Frame(String id, String event, String data) {
        boolean heartbeat() {
            return event == null;
        }

        JsonNode json() {
            try {
                return JSON.readTree(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        long position() {
            return json().get("position").asLong();
        }
    }

    private final Socket socket;
    private final BufferedReader in;
    final int status;
    final String contentType;

    private SseConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8), 256);
        String statusLine = in.readLine();
        this.status = Integer.parseInt(statusLine.split(" ")[1]);
        String type = "";
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            if (line.toLowerCase().startsWith("content-type:")) {
                type = line.substring("content-type:".length()).trim();
            }
        }
        this.contentType = type;
    }

    /** {@code receiveBuffer} 0: the system's default; small values let the server's writes back up early. */
    static SseConnection open(int port, String target, Map<String, String> headers, int receiveBuffer) {
        try {
            Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.0\r\nHost: 127.0.0.1\r\n"
                    + "Accept: text/event-stream\r\n");
            headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            socket.setSoTimeout(30_000);
            return new SseConnection(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next frame; null when the server closed the stream. Fails when none comes within {@code timeout}. */
    Frame next(Duration timeout) {
        try {
            socket.setSoTimeout((int) timeout.toMillis());
            String id = null;
            String event = null;
            StringBuilder data = null;
            boolean comment = false;
            for (String line = in.readLine(); ; line = in.readLine()) {
                if (line == null) {
                    return null;
                }
                if (line.isEmpty()) {
                    if (data != null || comment) {
                        return new Frame(id, data == null ? null : event == null ? "message" : event,
                                data == null ? null : data.toString());
                    }
                    continue;
                }
                if (line.startsWith(":")) {
                    comment = true;
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no frame within " + timeout);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the stream", e);
        }
    }

    /** The next event frame (heartbeats skipped); null at the end of the stream. */
    Frame nextEvent(Duration timeout) {
        for (Frame f = next(timeout); ; f = next(timeout)) {
            if (f == null || !f.heartbeat()) {
                return f;
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
