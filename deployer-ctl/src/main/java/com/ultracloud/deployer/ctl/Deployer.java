package com.ultracloud.deployer.ctl;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Where the deployer's operator API is and the API token to call it with (a viewer's is enough). */
final class Deployer {

    @Option(names = "--deployer", defaultValue = "${env:DEPLOYER_URL:-http://127.0.0.1:8080}",
            description = "The operator API's base URL (default: $DEPLOYER_URL, else ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--token-file", defaultValue = "${env:DEPLOYER_TOKEN_FILE}",
            description = "A file whose first line is an API token (default: $DEPLOYER_TOKEN_FILE; none in lab mode).")
    Path tokenFile;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** GET {@code path}: the body, or an exception with the deployer's problem detail. */
    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request(path).timeout(Duration.ofSeconds(120)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IOException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /**
     * GET {@code path} as a stream that stays open (no timeout; the caller watches for silence), from
     * {@code lastEventId} when not null. A 4xx is {@link Refused}: asking again would not help.
     */
    InputStream stream(String path, String lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> r = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() >= 300) {
            String body;
            try (InputStream in = r.body()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String message = "GET " + path + " answered " + r.statusCode() + ": " + body;
            throw r.statusCode() < 500 ? new Refused(message) : new IOException(message);
        }
        return r.body();
    }

    /** The deployer refused the request (bad filter, no or wrong token): not worth repeating. */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    private HttpRequest.Builder request(String path) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + path)).GET();
        if (tokenFile != null) {
            request.header("Authorization", "Bearer " + Files.readAllLines(tokenFile).get(0).strip());
        }
        return request;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
