package com.ultracloud.deployer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.gateway.bootstrap.Installs;
import com.ultracloud.deployer.gateway.bootstrap.LabIntent;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.common.stream.BlockingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A seeded fuzz of every mapped endpoint (found from Spring's handler mappings, see {@link FuzzTargets}):
 * hostile paths, query parameters, methods, content types, Accept headers and bodies (mutations of
 * real requests, see {@link FuzzRequests}), sent byte for byte. Asserts that nothing is answered with
 * a 5xx, that every error is problem+json with type, title, status and detail, that no body names a
 * Java type or a stack frame, that nothing a refused request carried reached the event store, and
 * that the gateway still works afterwards.
 *
 * <p>{@code -Dfuzz.requests=N} (default 2000) and {@code -Dfuzz.seed=S} choose the run; a failure names
 * the seed and the request. The summary (requests per status) goes to {@code target/fuzz-summary.txt}.
 */
class FuzzTest {

    static final int REQUESTS = Integer.getInteger("fuzz.requests", 2000);
    static final long SEED = Long.getLong("fuzz.seed", 8L);

    /** A Java type, a stack frame, an array's identity hash: what no answer may contain. */
    static final Pattern INTERNALS = Pattern.compile("\\b(?:java|javax|jakarta|sun|org\\.springframework|org\\.apache"
            + "|org\\.axonframework|org\\.hibernate|com\\.fasterxml|com\\.ultracloud)\\.[a-zA-Z]"
            + "|Exception|Caused by|\\tat |\\[L[\\w.$]+;@");

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    @Test
    void hostileRequestsToEveryEndpointGetNo5xxAndOnlyProblemsWithoutInternals() throws IOException {
        try (RunningGateway gw = RunningGateway.embedded(dataDir, "--deployer.enrollment.automation=false",
                "--deployer.bootstrap.max-plan-wait=1s", "--logging.level.root=WARN")) {
            LabIntent.importInto(gw);
            FuzzRequests.Fixture fixture = fixture(gw);
            List<FuzzTargets.Target> targets = FuzzTargets.of(gw.context());
            assertThat(targets).extracting(FuzzTargets.Target::pattern).contains("/api/v1/bootstrap/discover",
                    "/api/v1/machines/{id}/{action}", "/api/v1/cluster/intent", "/api/v1/admin/projections/{name}/replay",
                    "/error", "/actuator/health", "/v3/api-docs");

            FuzzRequests requests = new FuzzRequests(SEED, targets, fixture);
            Map<Integer, Integer> byStatus = new TreeMap<>();
            Set<String> refused = new HashSet<>();
            List<String> failures = new ArrayList<>();
            TreeMap<Long, String> slowest = new TreeMap<>();
            long started = System.nanoTime();
            for (int i = 0; i < REQUESTS; i++) {
                FuzzRequests.Fuzzed f = requests.next("fuzz-" + SEED + "-" + i);
                long sent = System.nanoTime();
                RawHttp.Response r = gw.raw(f.request(), f.authenticated());
                slowest.put((System.nanoTime() - sent) / 1_000_000 * 100_000 + i % 100_000, r.status() + " "
                        + f.request().method() + " " + RawHttp.abbreviate(f.request().target(), 80));
                if (slowest.size() > 5) {
                    slowest.pollFirstEntry();
                }
                byStatus.merge(r.status(), 1, Integer::sum);
                if (r.status() >= 400 || r.status() < 0) {
                    refused.add(f.correlationId());
                }
                String problem = check(f.request(), r);
                if (problem != null && failures.size() < 50) {
                    failures.add("seed " + SEED + ", request " + i + ": " + problem + "\n  request: " + f.request()
                            + "\n  answer:  " + r);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            String summary = String.format("fuzz: %d requests, seed %d, %d endpoints, %.1f s (%.0f/s); by status %s; "
                            + "%d failure(s); slowest (ms): %s", REQUESTS, SEED, targets.size(), seconds, REQUESTS / seconds,
                    byStatus, failures.size(), slowest.descendingMap().entrySet().stream()
                            .map(e -> e.getKey() / 100_000 + " " + e.getValue()).toList());
            System.out.println(summary);
            Files.writeString(Path.of("target", "fuzz-summary.txt"), summary + "\n");

            assertThat(failures).as(summary).isEmpty();
            assertThat(byStatus.keySet()).as("a run that reaches handlers answers some requests with success")
                    .anyMatch(s -> s < 300);
            assertThat(eventsCausedBy(gw, refused)).as("events from refused requests").isEmpty();
            stillWorks(gw);
        }
    }

    /** What is wrong with the answer to a request, or null. */
    static String check(RawHttp.Request request, RawHttp.Response r) {
        if (r.status() < 0) {
            return "no answer";
        }
        if (r.status() >= 500) {
            return "answered " + r.status();
        }
        String body = r.text();
        boolean opsDocument = r.status() < 400 && !request.target().startsWith("/api/");
        if (!opsDocument && INTERNALS.matcher(body).find()) {
            // metrics and the OpenAPI document name exception and schema types by design; API answers never do
            return "the body shows internals";
        }
        if (r.status() < 400 || request.method().equals("HEAD")) {
            return null;
        }
        if (!r.contentType().startsWith("application/problem+json")) {
            return "an error that is not problem+json";
        }
        JsonNode p;
        try {
            p = JSON.readTree(body);
        } catch (IOException e) {
            return "an error body that is not JSON";
        }
        if (p == null || !p.path("type").isTextual() || !p.path("title").isTextual() || !p.path("detail").isTextual()
                || p.path("status").asInt() != r.status()) {
            return "a problem without type, title, detail or the right status";
        }
        return null;
    }

    /** Machines in several states, an install token and its plan, so that handlers run past validation. */
    static FuzzRequests.Fixture fixture(RunningGateway gw) {
        List<String> machines = new ArrayList<>();
        String discovered = Installs.discover(gw, Hardware.clone("server-nvme-sata-usb", 1));
        String inspected = Installs.discover(gw, Hardware.clone("server-nvme-sata-usb", 2));
        assertThat(gw.post("/api/v1/machines/" + inspected + "/inspect", null).status()).isEqualTo(202);
        String failed = Installs.discover(gw, Hardware.clone("server-nvme-sata-usb", 3));
        assertThat(gw.post("/api/v1/machines/" + failed + "/mark-failed", Map.of("reason", "fuzz")).status())
                .isEqualTo(202);
        ObjectNode cp2 = LabIntent.hardware("cp-2");
        String pending = Installs.requestInstall(gw, cp2, "control-plane", "control-plane", "cp-2");
        String token = Installs.awaitToken(gw, cp2);
        long version = gw.get("/api/v1/machines/" + pending + "?consistent=true").json().get("version").asLong();
        String planId = gw.get("/api/v1/machines/" + pending + "/install-plan?minVersion=" + version).json().path("planId").asText();
        machines.addAll(List.of(discovered, inspected, failed, pending));
        return new FuzzRequests.Fixture(machines, token, planId, LabIntent.LAB);
    }

    /** Correlation ids of refused requests found on stored events. */
    static List<String> eventsCausedBy(RunningGateway gw, Set<String> refused) {
        List<String> found = new ArrayList<>();
        try (BlockingStream<TrackedEventMessage<?>> events = gw.bean(EventStore.class).openStream(null)) {
            while (events.hasNextAvailable()) {
                TrackedEventMessage<?> e = events.nextAvailable();
                Object correlation = e.getMetaData().get("correlationId");
                if (correlation != null && refused.contains(correlation.toString())) {
                    found.add(e.getPayloadType().getSimpleName() + " from " + correlation);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return found;
    }

    /** A new machine is discovered, listed and shown; a bad request is still a problem. */
    static void stillWorks(RunningGateway gw) {
        ObjectNode facts = Hardware.clone("server-nvme-sata-usb", 424242);
        RunningGateway.Response discovered = gw.post("/api/v1/bootstrap/discover", facts);
        assertThat(discovered.status()).as(discovered.toString()).isEqualTo(200);
        assertThat(discovered.json().path("state").asText()).isEqualTo("DISCOVERED");
        String id = discovered.json().path("machineId").asText();
        RunningGateway.Response detail = gw.get("/api/v1/machines/" + id + "?consistent=true");
        assertThat(detail.status()).as(detail.toString()).isEqualTo(200);
        assertThat(detail.json().path("hardware").path("identity").path("systemSerial").asText()).isEqualTo("SN424242");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            RunningGateway.Response list = gw.get("/api/v1/machines?q=SN424242");
            assertThat(list.status()).as(list.toString()).isEqualTo(200);
            assertThat(list.json().path("items").findValuesAsText("machineId")).containsExactly(id);
        });
        assertThat(gw.get("/api/v1/machines/" + id + "/events").json()).hasSize(1);
        RunningGateway.Response bad = gw.get("/api/v1/machines/" + UUID.randomUUID() + "x");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.isProblem()).isTrue();
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
