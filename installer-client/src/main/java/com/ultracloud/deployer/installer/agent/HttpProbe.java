package com.ultracloud.deployer.installer.agent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * How the health gate's {@code http} check asks the node: a real GET on a node; the lab answers for its simulated
 * nodes, whose node-local URLs (e.g. {@code http://127.0.0.1:9100/metrics}) are not theirs to serve.
 */
@FunctionalInterface
public interface HttpProbe {

    /** The status {@code url} answers a GET with, within {@code timeout}. */
    int status(URI url, Duration timeout) throws IOException, InterruptedException;

    /** A GET with the JDK's HTTP client. */
    static HttpProbe real() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        return (url, timeout) -> http.send(HttpRequest.newBuilder(url).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
