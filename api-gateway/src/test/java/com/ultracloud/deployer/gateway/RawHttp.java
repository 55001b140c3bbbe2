package com.ultracloud.deployer.gateway;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written byte for byte over a socket, one connection per request: for what the JDK client
 * refuses to send (CONNECT, TRACE with a body, a Host header, unknown methods, a header twice, a body
 * that contradicts its Content-Type).
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** {@code target} is sent as it is (already encoded, or deliberately not); headers in order, repeats allowed. */
    public record Request(String method, String target, List<Map.Entry<String, String>> headers, byte[] body) {
        public Request {
            headers = List.copyOf(headers);
        }

        public boolean has(String header) {
            return headers.stream().anyMatch(h -> h.getKey().equalsIgnoreCase(header));
        }

        public Request with(List<Map.Entry<String, String>> more) {
            List<Map.Entry<String, String>> all = new ArrayList<>(headers);
            all.addAll(more);
            return new Request(method, target, all, body);
        }

        @Override
        public String toString() {
            String b = body == null ? "" : new String(body, StandardCharsets.UTF_8);
            return method + " " + target + " " + headers + (b.isEmpty() ? "" : " body=" + abbreviate(b, 300));
        }
    }

    /** Status -1: the server closed the connection without an answer. Header names are lower case. */
    public record Response(int status, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        public String contentType() {
            String type = header("content-type");
            return type == null ? "" : type;
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return status + " " + contentType() + " " + abbreviate(text(), 600);
        }
    }

    public static Response send(int port, Request request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            try {
                write(socket.getOutputStream(), port, request);
            } catch (IOException e) {
                // the server may answer and close before reading a body it refuses (413): read what it said
            }
            return read(new BufferedInputStream(socket.getInputStream()), request.method());
        } catch (IOException e) {
            return new Response(-1, Map.of(), ("no answer: " + e.getMessage()).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void write(OutputStream out, int port, Request r) throws IOException {
        StringBuilder head = new StringBuilder(r.method()).append(' ').append(r.target()).append(" HTTP/1.1\r\n");
        if (!r.has("Host")) {
            head.append("Host: 127.0.0.1:").append(port).append("\r\n");
        }
        for (Map.Entry<String, String> h : r.headers()) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        if (r.body() != null && !r.has("Content-Length") && !r.has("Transfer-Encoding")) {
            head.append("Content-Length: ").append(r.body().length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
        if (r.body() != null) {
            out.write(r.body());
        }
        out.flush();
    }

    private static Response read(InputStream in, String method) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            return new Response(-1, Map.of(), "no answer: connection closed".getBytes(StandardCharsets.UTF_8));
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            headers.computeIfAbsent(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(l.substring(colon + 1).trim());
        }
        byte[] body;
        String chunked = headers.containsKey("transfer-encoding") ? headers.get("transfer-encoding").get(0) : "";
        boolean stream = headers.getOrDefault("content-type", List.of("")).get(0).startsWith("text/event-stream");
        if (method.equalsIgnoreCase("HEAD") || status == 204 || status == 304 || status < 200 || stream) {
            body = new byte[0]; // an event stream never ends: its headers are the answer; the caller closes the socket
        } else if (chunked.equalsIgnoreCase("chunked")) {
            body = chunks(in);
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length").get(0)));
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, body);
    }

    private static byte[] chunks(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            if (size == null) {
                return all.toByteArray();
            }
            int n = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (n == 0) {
                while (true) {
                    String trailer = line(in);
                    if (trailer == null || trailer.isEmpty()) {
                        return all.toByteArray();
                    }
                }
            }
            all.write(in.readNBytes(n));
            line(in);
        }
    }

    /** One CRLF-terminated line, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = buf.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            buf.write(b);
        }
        return buf.size() == 0 ? null : buf.toString(StandardCharsets.ISO_8859_1);
    }

    static String abbreviate(String s, int max) {
        return s.length() > max ? s.substring(0, max) + "…(" + s.length() + " chars)" : s;
    }
}
