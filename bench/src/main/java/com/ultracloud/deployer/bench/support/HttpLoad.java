package com.ultracloud.deployer.bench.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * POSTs bodies to one URI with at most {@code concurrency} requests in flight (JDK HttpClient, HTTP/1.1,
 * one connection per request in flight), timing each request from send to the last byte of the answer.
 * A request that fails or answers other than 2xx is an error (counted by status, not timed).
 */
public final class HttpLoad {

    public record Outcome(Latencies latencies, int errors, Map<String, Integer> errorKinds, double seconds) {
        public double throughput() {
            return latencies.count() / seconds;
        }

        public String describe(String what) {
            return String.format(Locale.ROOT, "%-36s %6d ok %5d errors in %7.2f s = %8.1f req/s   p50 %8.1f ms   "
                            + "p90 %8.1f ms   p99 %8.1f ms   max %8.1f ms%s", what, latencies.count(), errors, seconds,
                    throughput(), latencies.percentileMillis(50), latencies.percentileMillis(90),
                    latencies.percentileMillis(99), latencies.maxMillis(), errorKinds.isEmpty() ? "" : "  " + errorKinds);
        }
    }

    private HttpLoad() {
    }

    public static Outcome post(URI uri, Map<String, String> headers, List<byte[]> bodies, int concurrency)
            throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(60)).build();
        Latencies latencies = new Latencies(bodies.size());
        AtomicInteger errors = new AtomicInteger();
        Map<String, Integer> kinds = new ConcurrentHashMap<>();
        Semaphore inFlight = new Semaphore(concurrency);
        CountDownLatch done = new CountDownLatch(bodies.size());
        long start = System.nanoTime();
        for (byte[] body : bodies) {
            inFlight.acquire();
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(b::header);
            long t0 = System.nanoTime();
            client.sendAsync(b.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                long t = System.nanoTime() - t0;
                if (e == null && r.statusCode() / 100 == 2) {
                    latencies.add(t);
                } else {
                    errors.incrementAndGet();
                    String kind = e != null ? rootName(e) : "HTTP " + r.statusCode();
                    kinds.merge(kind, 1, Integer::sum);
                }
                inFlight.release();
                done.countDown();
            });
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Outcome(latencies, errors.get(), Map.copyOf(kinds), seconds);
    }

    private static String rootName(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }
}
