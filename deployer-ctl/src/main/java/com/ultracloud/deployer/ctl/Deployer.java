package com.ultracloud.deployer.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Where the deployer's operator API is and the API token to call it with: options, then environment, then the config
 * file ({@code ~/.config/deployer-ctl/config}: {@code server=}, {@code token-file=} or {@code token=}), then
 * {@value #DEFAULT_SERVER}. A refusal of the deployer (a 4xx problem) is {@link Refused}: one line, exit 3.
 */
final class Deployer {

    static final String DEFAULT_SERVER = "http://127.0.0.1:8080";
    static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = {"--server", "--deployer"}, defaultValue = "${env:DEPLOYER_URL}", paramLabel = "URL",
            description = "The operator API's base URL (default: $DEPLOYER_URL, the config file's server=, else " + DEFAULT_SERVER + ").")
    String url;

    @Option(names = "--token-file", defaultValue = "${env:DEPLOYER_TOKEN_FILE}", paramLabel = "FILE",
            description = "A file whose first line is an API token (default: $DEPLOYER_TOKEN_FILE, the config file's token-file= or token=; none in lab mode).")
    Path tokenFile;

    @Option(names = "--config", defaultValue = "${env:DEPLOYER_CTL_CONFIG}", paramLabel = "FILE",
            description = "The config file (default: $DEPLOYER_CTL_CONFIG, else ~/.config/deployer-ctl/config when it exists).")
    Path config;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private Properties settings;

    /** GET {@code path}: the body, or a {@link Refused} with the deployer's problem in one line. */
    String get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    JsonNode getJson(String path) throws IOException, InterruptedException {
        return JSON.readTree(get(path));
    }

    /** {@code method} {@code path} with a JSON body (null: none): the answer as JSON. */
    JsonNode call(String method, String path, Object body) throws IOException, InterruptedException {
        String text = send(method, path, body == null ? null : JSON.writeValueAsString(body));
        return text.isBlank() ? JSON.nullNode() : JSON.readTree(text);
    }

    /** POST with {@code If-Match}: the command applies only to that version of the aggregate. */
    JsonNode callIfMatch(String path, Object body, long version) throws IOException, InterruptedException {
        String text = send("POST", path, JSON.writeValueAsString(body), "\"" + version + "\"");
        return text.isBlank() ? JSON.nullNode() : JSON.readTree(text);
    }

    private String send(String method, String path, String body) throws IOException, InterruptedException {
        return send(method, path, body, null);
    }

    private String send(String method, String path, String body, String ifMatch) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path).timeout(Duration.ofSeconds(120));
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else if (!method.equals("GET")) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r;
        try {
            r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IOException("cannot reach the deployer at " + base() + " (" + e.getMessage() + ")", e);
        }
        if (r.statusCode() >= 300) {
            String message = method + " " + path + " answered " + problem(r.statusCode(), r.body());
            throw r.statusCode() < 500 ? new Refused(message) : new IOException(message);
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
            String message = "GET " + path + " answered " + problem(r.statusCode(), body);
            throw r.statusCode() < 500 ? new Refused(message) : new IOException(message);
        }
        return r.body();
    }

    /** A problem+json answer in one line: status, title, detail and each invalid field. */
    static String problem(int status, String body) {
        try {
            JsonNode p = JSON.readTree(body);
            StringBuilder line = new StringBuilder(status + " " + p.path("title").asText(""));
            if (p.hasNonNull("detail")) {
                line.append(": ").append(p.get("detail").asText());
            }
            List<String> fields = new ArrayList<>();
            p.path("errors").forEach(e -> fields.add(e.path("field").asText() + " " + e.path("message").asText()));
            if (!fields.isEmpty()) {
                line.append(" (").append(String.join("; ", fields)).append(')');
            }
            if (p.has("allowedFrom")) {
                line.append(" [allowed from ").append(p.get("allowedFrom")).append(']');
            }
            return line.toString();
        } catch (IOException notJson) {
            return status + ": " + body.strip();
        }
    }

    /** The deployer refused the request (bad input, wrong state, no or wrong token): not worth repeating. */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    private HttpRequest.Builder request(String path) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).GET();
        String token = token();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    String base() throws IOException {
        String server = url != null && !url.isBlank() ? url : settings().getProperty("server", DEFAULT_SERVER);
        return server.replaceAll("/+$", "");
    }

    private String token() throws IOException {
        Path file = tokenFile != null ? tokenFile
                : settings().containsKey("token-file") ? Path.of(settings().getProperty("token-file")) : null;
        if (file != null) {
            return Files.readAllLines(file).get(0).strip();
        }
        String token = settings().getProperty("token");
        return token == null || token.isBlank() ? null : token.strip();
    }

    private Properties settings() throws IOException {
        if (settings == null) {
            settings = new Properties();
            Path file = config != null ? config : Path.of(System.getProperty("user.home"), ".config", "deployer-ctl", "config");
            if (Files.isRegularFile(file)) {
                try (Reader in = Files.newBufferedReader(file)) {
                    settings.load(in);
                }
            } else if (config != null) {
                throw new IOException("no config file " + config);
            }
        }
        return settings;
    }

    /** An answer as it came, indented: the {@code -o json} of every command. */
    static void printJson(JsonNode answer) throws IOException {
        System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
