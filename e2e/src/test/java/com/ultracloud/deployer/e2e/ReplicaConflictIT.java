package com.ultracloud.deployer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static com.ultracloud.deployer.e2e.GatewayProcess.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two gateway replicas (postgres profile) on one scratch database, set up as docs/operations.md says replicas are:
 * one KEK and one join secret for both, the first replica ready before the second starts, the first start's admin
 * token used on both. Three lab machines are installed and run their nix-agents (installs through replica A, agents on
 * replica B's HTTPS port); five more are discovered by racing installer boots on both replicas. Then 1,000 operator
 * commands and installer discovers, drawn at random over those eight machines and every action, are fired at once
 * from 48 threads, alternating replicas, while enrollment automation, the sagas and the agents write too.
 * <p>
 * Every answer must be 2xx or a 409 problem. Afterwards, from the event store: every machine's history replays against
 * the lifecycle table the API serves, with contiguous sequence numbers; every accepted command left its events (found
 * by its correlation id) and every refused one left none; each 202's state is the history's at its version; no
 * hostname is held by two live machines, in the store's order of events, its claims, the machines' details or the
 * inventories; the store holds exactly the eight machines. Neither replica logs an ERROR line. The figures are printed
 * (docs/operations.md, "Fault tests").
 */
class ReplicaConflictIT {

    private static final int LAB_MACHINES = 3;
    private static final int OWN_MACHINES = 5;
    private static final int COMMANDS = 1000;
    private static final int THREADS = 48;
    /** Names several commissions compete for; worker-1 and wk-01 are also what the lab's rules hand out. */
    private static final List<String> HOSTNAMES = List.of("conflict-1", "conflict-2", "conflict-3", "worker-1", "wk-01");
    private static final Set<String> REFUSALS = Set.of("illegal-transition", "precondition-failed",
            "concurrent-modification", "hostname-taken", "node-id-taken", "conflict");

    /** What the storm sends, with weights out of 100. */
    private enum Op {
        // weighted towards the cycle that hands out hostnames (discover, inspect, commission ... retire, discover)
        DISCOVER(13), INSPECT(13), COMMISSION_NAMED(16), COMMISSION_BY_RULE(5), INSTALL(7), MARK_FAILED(4), RECOVER(8),
        RETIRE(6), REPROVISION(4), REPROVISION_FORCED(2), RESCUE(5), EXIT_RESCUE(6), DRAIN(5), UNDRAIN(3), COMPLETE_DRAIN(3);

        final int weight;

        Op(int weight) {
            this.weight = weight;
        }

        /** The path segment of {@code POST /api/v1/machines/{id}/{action}} (null for discover). */
        String action() {
            return switch (this) {
                case DISCOVER -> null;
                case COMMISSION_NAMED, COMMISSION_BY_RULE -> "commission";
                case MARK_FAILED -> "mark-failed";
                case REPROVISION, REPROVISION_FORCED -> "reprovision";
                case EXIT_RESCUE -> "exit-rescue";
                case COMPLETE_DRAIN -> "complete-drain";
                default -> name().toLowerCase(Locale.ROOT);
            };
        }
    }

    record Answer(int status, String contentType, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                return JSON.createObjectNode();
            }
        }
    }

    record Sent(int index, String replica, String machineId, Op op, String correlationId, Answer answer, long millis) {
        @Override
        public String toString() {
            return "#" + index + " " + op + " of " + machineId + " on " + replica + " (" + correlationId + ") -> "
                    + (answer == null ? "no answer" : answer.status() + " " + answer.contentType() + " " + answer.body());
        }
    }

    /** One replica as a client sees it: its HTTP base URL, the shared operator token and join secret. */
    record Replica(String name, GatewayProcess gateway, HttpClient http, String token, String joinSecret) {

        Answer send(String method, String path, Object body, Map<String, String> headers) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.url() + path)).timeout(Duration.ofSeconds(90))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body)));
            if (body != null) {
                b.header("Content-Type", "application/json");
            }
            if (path.startsWith("/api/v1/bootstrap/")) {
                b.header("X-Join-Secret", joinSecret);
            } else {
                b.header("Authorization", "Bearer " + token);
            }
            headers.forEach(b::header);
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        }

        JsonNode get(String path) throws Exception {
            Answer a = send("GET", path, null, Map.of());
            if (a.status() != 200) {
                throw new IllegalStateException("GET " + path + " on " + name + " answered " + a.status() + ": " + a.body());
            }
            return a.json();
        }
    }

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failure leaves both replicas' logs to look at
    Path tmp;

    @Test
    void twoReplicasUnderAThousandConflictingCommandsMakeOnlyAllowedTransitionsAndNeverAHostnameTwice() throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create("e2e_conflict")) {
            run(db);
        }
    }

    private void run(ScratchDatabase db) throws Exception {
        long begun = System.nanoTime();
        ReplicaSecrets secrets = ReplicaSecrets.create(tmp);
        String joinSecret = secrets.joinSecret();
        Path joinSecretFile = secrets.joinSecretFile();
        // what every replica must share, and enrollment automation and its sweep, in both replicas, race the operators too
        String[] args = secrets.args(db.url(), "--deployer.enrollment.reconcile-after=3s", "--deployer.enrollment.sweep-interval=5s");

        GatewayProcess a = GatewayProcess.start(GatewayProcess.freePort(), tmp.resolve("a"), args);
        GatewayProcess b = null;
        InstallerProcess lab = null;
        try {
            // the first replica is ready before the second starts (the guide's order)
            b = GatewayProcess.start(GatewayProcess.freePort(), tmp.resolve("b"), args);
            String token = Files.readString(a.adminTokenFile()).strip();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            Replica ra = new Replica("A", a, http, token, joinSecret);
            Replica rb = new Replica("B", b, http, token, joinSecret);
            List<Replica> replicas = List.of(ra, rb);

            // one cluster CA, created by A and opened by B with the shared KEK; one admin token, in A's data dir only
            assertThat(Files.readString(b.caCertificate())).isEqualTo(Files.readString(a.caCertificate()));
            assertThat(b.adminTokenFile()).doesNotExist();
            assertThat(rb.get("/api/v1/session").get("role").asText()).isEqualTo("admin");

            a.importLabIntentWithoutHostDeployments();
            lab = startLab(a, b, joinSecretFile);
            InstallerProcess running = lab;
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(ra.get("/api/v1/machines?state=ACTIVE&size=50").get("total").asInt())
                            .as("lab machines ACTIVE\n" + running.out()).isEqualTo(LAB_MACHINES));

            Map<String, JsonNode> facts = new LinkedHashMap<>(); // machine id -> what its installer announces
            for (JsonNode m : ra.get("/api/v1/machines?size=50").get("items")) {
                String id = m.get("machineId").asText();
                facts.put(id, ra.get("/api/v1/machines/" + id + "?consistent=true").get("hardware"));
            }
            assertThat(facts).hasSize(LAB_MACHINES);
            facts.putAll(discoverRacing(replicas, OWN_MACHINES));
            List<String> machines = List.copyOf(facts.keySet());

            JsonNode table = rb.get("/api/v1/lifecycle");
            LifecycleReplay replay = new LifecycleReplay(table);

            long started = System.nanoTime();
            List<Sent> sent = storm(replicas, machines, facts);
            double seconds = (System.nanoTime() - started) / 1e9;
            lab.stop();

            SoftAssertions soft = new SoftAssertions();
            checkAnswers(soft, sent);
            String figures = verifyStore(soft, db, replicas, replay, machines, sent);
            StringBuilder logs = new StringBuilder();
            for (GatewayProcess g : List.of(a, b)) {
                String log = Files.readString(g.log());
                soft.assertThat(log).as("log of " + g.url()).doesNotContain("unexpected error");
                List<String> errors = log.lines().filter(l -> l.contains(" ERROR ")).toList();
                soft.assertThat(errors).as("ERROR lines in the log of " + g.url()).isEmpty();
                logs.append(String.format(Locale.ROOT, "%n  log %s: %d ERROR lines%s", g.log(), errors.size(),
                        errors.stream().limit(5).map(l -> "\n    " + l).collect(Collectors.joining())));
            }
            System.out.println(summary(sent, seconds) + "\n" + figures + logs + String.format(Locale.ROOT,
                    "%n  whole test (two starts, lab install, storm, checks): %.0f s", (System.nanoTime() - begun) / 1e9));
            soft.assertAll();
        } finally {
            if (lab != null) {
                lab.stop();
            }
            if (b != null) {
                b.close();
            }
            a.close();
        }
    }

    /** {@code installer lab --agents}: three clones of worker-1 installed through A, their agents on B's HTTPS port. */
    private InstallerProcess startLab(GatewayProcess a, GatewayProcess b, Path joinSecretFile) throws Exception {
        Path hardware = Files.createDirectories(tmp.resolve("lab-hardware"));
        Files.copy(GatewayProcess.REPO.resolve("nix/examples/lab/hardware/worker-1.json"), hardware.resolve("worker-1.json"));
        return InstallerProcess.start(tmp, "lab", "--deployer", a.url(), "--operator-install",
                "--join-secret-file", joinSecretFile.toString(), "--operator-token-file", a.adminTokenFile().toString(),
                "--hardware", hardware.toString(), "--machines", String.valueOf(LAB_MACHINES),
                "--work-dir", tmp.resolve("lab").toString(), "--agents", "--agent-url", b.httpsUrl(), "--timeout", "900");
    }

    /**
     * {@code count} new clones of worker-1, each announced four times at once (twice per replica), as installers
     * booting together would: one machine each, every answer 2xx (or 409) naming it.
     */
    private static Map<String, JsonNode> discoverRacing(List<Replica> replicas, int count) throws Exception {
        JsonNode template = JSON.readTree(GatewayProcess.REPO.resolve("nix/examples/lab/hardware/worker-1.json").toFile());
        Random random = new Random(14);
        Map<String, JsonNode> discovered = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4 * count);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<JsonNode> clones = new ArrayList<>();
            List<List<Future<Answer>>> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                JsonNode clone = cloneOf(template, random, i);
                clones.add(clone);
                List<Future<Answer>> four = new ArrayList<>();
                for (int k = 0; k < 4; k++) {
                    Replica r = replicas.get(k % 2);
                    four.add(pool.submit((Callable<Answer>) () -> {
                        go.await();
                        return r.send("POST", "/api/v1/bootstrap/discover", clone, Map.of());
                    }));
                }
                answers.add(four);
            }
            go.countDown();
            for (int i = 0; i < count; i++) {
                Set<String> ids = new LinkedHashSet<>();
                for (Future<Answer> f : answers.get(i)) {
                    Answer answer = f.get(120, TimeUnit.SECONDS);
                    assertThat(answer.status()).as(answer.body()).satisfiesAnyOf(
                            s -> assertThat(s).isBetween(200, 299), s -> assertThat(s).isEqualTo(409));
                    if (answer.status() < 300) {
                        ids.add(answer.json().get("machineId").asText());
                    }
                }
                assertThat(ids).as("machine ids of one machine's racing discovers").hasSize(1);
                discovered.put(ids.iterator().next(), clones.get(i));
            }
        } finally {
            pool.shutdownNow();
        }
        return discovered;
    }

    /** worker-1's facts with a fresh identity (SMBIOS UUID, serials, locally administered MACs), as the lab clones. */
    private static JsonNode cloneOf(JsonNode template, Random random, int index) {
        ObjectNode clone = template.deepCopy();
        ObjectNode identity = (ObjectNode) clone.get("identity");
        identity.put("smbiosUuid", new UUID(random.nextLong(), random.nextLong()).toString());
        identity.put("systemSerial", "CONFLICT" + index);
        identity.put("boardSerial", "CONFLICTB" + index);
        for (JsonNode nic : clone.get("nics")) {
            String mac = String.format(Locale.ROOT, "02:c0:%02x:%02x:%02x:%02x", index, random.nextInt(256),
                    random.nextInt(256), random.nextInt(256));
            ((ObjectNode) nic).put("mac", mac).put("permanentMac", mac);
        }
        return clone;
    }

    /** The 1,000 commands at once: random machine and action (seeded), alternating replicas, 48 threads. */
    private static List<Sent> storm(List<Replica> replicas, List<String> machines, Map<String, JsonNode> facts)
            throws Exception {
        // a new draw each run explores other interleavings; -Dconflict.seed=N repeats one
        long seed = Long.getLong("conflict.seed", System.nanoTime());
        System.out.println("ReplicaConflictIT: seed " + seed);
        Random random = new Random(seed);
        List<Op> weighted = new ArrayList<>();
        for (Op op : Op.values()) {
            for (int w = 0; w < op.weight; w++) {
                weighted.add(op);
            }
        }
        String run = Long.toString(System.nanoTime(), 36);
        Map<String, List<String>> installerKeys = new HashMap<>();
        for (String machine : machines) {
            installerKeys.put(machine, List.of(installerKey(), installerKey()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Sent>> futures = new ArrayList<>();
            for (int i = 0; i < COMMANDS; i++) {
                int index = i;
                Replica replica = replicas.get(i % 2);
                String machine = machines.get(random.nextInt(machines.size()));
                Op op = weighted.get(random.nextInt(weighted.size()));
                String hostname = HOSTNAMES.get(random.nextInt(HOSTNAMES.size()));
                // an installer boot: one of two keys per machine, so a pending install is bound, then rebound
                JsonNode announced = withInstallerKey(facts.get(machine), installerKeys.get(machine).get(random.nextInt(2)));
                String correlationId = "conflict-" + run + "-" + i;
                futures.add(pool.submit(() -> {
                    go.await();
                    long t0 = System.nanoTime();
                    Answer answer = send(replica, machine, op, hostname, announced, correlationId, index);
                    return new Sent(index, replica.name(), machine, op, correlationId, answer,
                            (System.nanoTime() - t0) / 1_000_000);
                }));
            }
            go.countDown();
            List<Sent> sent = new ArrayList<>();
            for (Future<Sent> f : futures) {
                sent.add(f.get(300, TimeUnit.SECONDS));
            }
            return sent;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A fresh X25519 public key, raw and base64 as the installer announces it ({@code installer.publicKey}). */
    private static String installerKey() throws Exception {
        byte[] spki = KeyPairGenerator.getInstance("X25519").generateKeyPair().getPublic().getEncoded();
        return Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
    }

    private static JsonNode withInstallerKey(JsonNode facts, String key) {
        ObjectNode announced = facts.deepCopy();
        announced.withObject("/installer").put("publicKey", key);
        return announced;
    }

    private static Answer send(Replica replica, String machine, Op op, String hostname, JsonNode facts,
                               String correlationId, int index) {
        Map<String, String> headers = Map.of("X-Correlation-Id", correlationId);
        try {
            if (op == Op.DISCOVER) {
                return replica.send("POST", "/api/v1/bootstrap/discover", facts, headers);
            }
            Object body = switch (op) {
                case COMMISSION_NAMED -> Map.of("nodeClass", "worker", "pool", "general", "hostname", hostname);
                case MARK_FAILED -> Map.of("reason", "conflict test, command " + index);
                case REPROVISION_FORCED -> Map.of("force", true);
                default -> null;
            };
            return replica.send("POST", "/api/v1/machines/" + machine + "/" + op.action(), body, headers);
        } catch (Exception e) {
            return new Answer(-1, "", e.toString()); // no answer at all: a loss, reported as such
        }
    }

    /** Every answer 2xx, or 409 as a problem naming the machine and a refusal the API documents. */
    private static void checkAnswers(SoftAssertions soft, List<Sent> sent) {
        for (Sent s : sent) {
            Answer a = s.answer();
            boolean ok = a.status() >= 200 && a.status() < 300;
            soft.assertThat(ok || a.status() == 409).as("2xx or 409: %s", s).isTrue();
            if (a.status() == 409) {
                JsonNode p = a.json();
                soft.assertThat(a.contentType()).as(s.toString()).startsWith("application/problem+json");
                soft.assertThat(refusal(a)).as(s.toString()).isIn(REFUSALS);
                soft.assertThat(p.path("status").asInt()).as(s.toString()).isEqualTo(409);
                if (s.op() != Op.DISCOVER) {
                    soft.assertThat(p.path("machineId").asText()).as(s.toString()).isEqualTo(s.machineId());
                }
            } else if (ok) {
                soft.assertThat(a.json().path("machineId").asText()).as(s.toString()).isEqualTo(s.machineId());
            }
        }
    }

    private static String refusal(Answer a) {
        return a.json().path("type").asText().replace("urn:ultracloud:problem:", "");
    }

    /**
     * What the store holds after the storm: the histories against the lifecycle table and against the answers, the
     * claims, the details and the inventory, and the machines themselves. Answers the figures for the summary.
     */
    private static String verifyStore(SoftAssertions soft, ScratchDatabase db, List<Replica> replicas,
                                      LifecycleReplay replay, List<String> machines, List<Sent> sent) throws Exception {
        Map<String, List<Sent>> byMachine = sent.stream().collect(Collectors.groupingBy(Sent::machineId));
        Map<String, Long> versions = new HashMap<>();
        Map<String, Integer> finalStates = new TreeMap<>();
        Map<String, Integer> eventTypes = new TreeMap<>();
        int events = 0;
        int stateChanges = 0;
        for (int m = 0; m < machines.size(); m++) {
            String id = machines.get(m);
            Replica replica = replicas.get(m % 2);
            // the detail first: the history read after it holds at least its version
            JsonNode detail = replica.get("/api/v1/machines/" + id + "?consistent=true");
            JsonNode history = replica.get("/api/v1/machines/" + id + "/events");
            events += history.size();
            history.forEach(e -> eventTypes.merge(e.get("type").asText(), 1, Integer::sum));
            LifecycleReplay.Result result = replay.replay(id, history);
            stateChanges += result.stateChanges();
            soft.assertThat(result.violations()).as("transitions the table does not allow, " + id).isEmpty();
            int detailVersion = detail.get("version").asInt();
            versions.put(id, (long) detailVersion);
            finalStates.merge(detail.get("state").asText(), 1, Integer::sum);
            soft.assertThat(stateAt(result, detailVersion)).as("the detail's state is the history's at its version, " + id)
                    .isEqualTo(detail.get("state").asText());

            Map<String, List<String>> typesByCorrelation = new HashMap<>();
            for (JsonNode e : history) {
                typesByCorrelation.computeIfAbsent(e.path("metadata").path("correlationId").asText(), k -> new ArrayList<>())
                        .add(e.get("type").asText());
            }
            for (Sent s : byMachine.getOrDefault(id, List.of())) {
                List<String> own = typesByCorrelation.getOrDefault(s.correlationId(), List.of());
                int status = s.answer().status();
                if (status == 409) {
                    soft.assertThat(own).as("events written by a refused command: %s", s).isEmpty();
                    checkRefusal(soft, s, result);
                } else if (status >= 200 && status < 300 && s.op() != Op.DISCOVER && s.op() != Op.COMPLETE_DRAIN) {
                    // complete-drain of a drained machine and an unchanged discover are accepted without an event
                    soft.assertThat(own).as("the events of an accepted command: %s", s)
                            .containsAnyElementsOf(replay.eventsOf(s.op().action()));
                    JsonNode answered = s.answer().json();
                    soft.assertThat(stateAt(result, answered.path("version").asInt(-1)))
                            .as("the state a 202 reports is the history's at its version: %s", s)
                            .isEqualTo(answered.path("state").asText());
                }
            }
        }

        // no install request lost: a machine still INSTALL_PENDING gets the plan of its last request (the saga may lag)
        for (int m = 0; m < machines.size(); m++) {
            String id = machines.get(m);
            Replica replica = replicas.get(m % 2);
            soft.assertThatCode(() -> await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                            .until(() -> planIssuedOrMovedOn(replica.get("/api/v1/machines/" + id + "/events"))))
                    .as("an INSTALL_PENDING machine without the plan of its last install request, " + id)
                    .doesNotThrowAnyException();
        }

        // hostnames: the write side's claims are exactly the live machines' hostnames, none twice (read again while
        // enrollment's sweep may still be commissioning)
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            Map<String, String> claims = hostnameClaims(db);
            Map<String, String> live = liveHostnames(replicas.get(1), machines);
            assertThat(duplicates(live)).as("hostnames of two live machines (details)").isEmpty();
            assertThat(claims).as("the hostname claims (node_claim) against the live machines' hostnames").isEqualTo(live);
        });
        Map<String, String> liveHostnames = liveHostnames(replicas.get(0), machines);

        // the event store: exactly these machines, no second aggregate for any of them
        List<JsonNode> store = new ArrayList<>();
        long from = 0;
        while (true) {
            JsonNode page = replicas.get(0).get("/api/v1/events?limit=10000&from=" + from);
            page.get("events").forEach(e -> {
                if ("Machine".equals(e.get("aggregateType").asText())) {
                    store.add(e);
                }
            });
            if (!page.hasNonNull("next")) {
                break;
            }
            from = page.get("next").asLong();
        }
        Set<String> stored = new LinkedHashSet<>();
        store.forEach(e -> stored.add(e.get("aggregateId").asText()));
        soft.assertThat(stored).as("machines in the event store").containsExactlyInAnyOrderElementsOf(machines);
        List<String> assignments = new ArrayList<>();
        soft.assertThat(hostnamesHeldTwice(store, assignments)).as("a hostname assigned while another live machine held it")
                .isEmpty();

        // each replica's inventory, once it has folded every machine's last version
        for (Replica r : replicas) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                JsonNode page = r.get("/api/v1/machines?size=100");
                Map<String, Long> listed = new HashMap<>();
                page.get("items").forEach(i -> listed.put(i.get("machineId").asText(), i.get("version").asLong()));
                for (String id : machines) {
                    assertThat(listed.get(id)).as("inventory of " + r.name() + ", " + id).isGreaterThanOrEqualTo(versions.get(id));
                }
            });
            JsonNode page = r.get("/api/v1/machines?size=100");
            soft.assertThat(page.get("total").asInt()).as("machines listed by " + r.name()).isEqualTo(machines.size());
            Map<String, String> listedHostnames = new TreeMap<>();
            page.get("items").forEach(i -> {
                if (!"RETIRED".equals(i.get("state").asText()) && i.hasNonNull("hostname")) {
                    listedHostnames.put(i.get("machineId").asText(), i.get("hostname").asText());
                }
            });
            soft.assertThat(duplicates(listedHostnames)).as("hostnames of two live machines (inventory of " + r.name() + ")").isEmpty();
        }
        return String.format(Locale.ROOT, "store: %d machines, %d events, %d state changes replayed against %d table rows;"
                        + " %d hostnames assigned (%d distinct); final states %s; live hostnames %s%n  events by type %s",
                stored.size(), events, stateChanges, replay.rows(), assignments.size(), new HashSet<>(assignments).size(),
                finalStates, new TreeMap<>(liveHostnames), eventTypes);
    }

    /**
     * True unless the history ends INSTALL_PENDING with no InstallPlanIssued since the last event that asks the saga
     * for a plan (an install request, a rebound installer, a failed attempt with attempts left).
     */
    private static boolean planIssuedOrMovedOn(JsonNode history) {
        String state = null;
        boolean planned = true;
        for (JsonNode e : history) {
            String type = e.get("type").asText();
            state = e.path("payload").path("state").isTextual() ? e.path("payload").path("state").asText() : state;
            if (type.equals("InstallRequested") || type.equals("InstallerRebound")
                    || type.equals("InstallFailed") && "INSTALL_PENDING".equals(state)) {
                planned = false;
            } else if (type.equals("InstallPlanIssued")) {
                planned = true;
            }
        }
        return planned || !"INSTALL_PENDING".equals(state);
    }

    /**
     * A refused transition names a state the machine was really in, and one the action is not allowed from (a guard
     * that failed: one it is allowed from).
     */
    private static void checkRefusal(SoftAssertions soft, Sent s, LifecycleReplay.Result history) {
        JsonNode p = s.answer().json();
        String kind = refusal(s.answer());
        if (!kind.equals("illegal-transition") && !kind.equals("precondition-failed")) {
            return;
        }
        String current = p.path("currentState").asText();
        List<String> allowed = new ArrayList<>();
        p.path("allowedFrom").forEach(a -> allowed.add(a.asText()));
        soft.assertThat(history.stateAfter()).as("the refusal's state is one the machine was in: %s", s).contains(current);
        if (kind.equals("illegal-transition")) {
            soft.assertThat(allowed).as("an illegal transition's state is not among those allowed: %s", s)
                    .doesNotContain(current);
        } else {
            soft.assertThat(allowed).as("a failed guard's state is among those allowed: %s", s).contains(current);
        }
    }

    /** The state after event {@code version} of the replayed history, or a note when the history is shorter. */
    private static String stateAt(LifecycleReplay.Result result, int version) {
        return version >= 0 && version < result.stateAfter().size() ? result.stateAfter().get(version)
                : "(no event " + version + " in a history of " + result.stateAfter().size() + ")";
    }

    /** Machine -> hostname of the machines that are not RETIRED, from their details (folded from the store). */
    private static Map<String, String> liveHostnames(Replica replica, List<String> machines) throws Exception {
        Map<String, String> live = new TreeMap<>();
        for (String id : machines) {
            JsonNode d = replica.get("/api/v1/machines/" + id + "?consistent=true");
            if (!"RETIRED".equals(d.get("state").asText()) && d.hasNonNull("hostname")) {
                live.put(id, d.get("hostname").asText());
            }
        }
        return live;
    }

    /**
     * The store in position order, as the write side claimed and released names: a NodeAssigned takes its hostname
     * (giving up the machine's old one), a MachineRetired frees it. Positions are taken at insert, and a claim waits for
     * the release it depends on to commit, so an assignment always comes after the release that made it possible.
     */
    private static List<String> hostnamesHeldTwice(List<JsonNode> store, List<String> assignments) {
        Map<String, String> holder = new HashMap<>(); // hostname -> machine
        Map<String, String> held = new HashMap<>(); // machine -> hostname
        List<String> twice = new ArrayList<>();
        for (JsonNode e : store) {
            String machine = e.get("aggregateId").asText();
            switch (e.get("type").asText()) {
                case "NodeAssigned" -> {
                    String hostname = e.at("/payload/assignment/hostname").asText();
                    String other = holder.get(hostname);
                    if (other != null && !other.equals(machine)) {
                        twice.add(hostname + " assigned to " + machine + " at position " + e.get("position") + " while "
                                + other + " held it");
                    }
                    String old = held.put(machine, hostname);
                    if (old != null && !old.equals(hostname)) {
                        holder.remove(old, machine);
                    }
                    holder.put(hostname, machine);
                    assignments.add(hostname);
                }
                case "MachineRetired" -> {
                    String old = held.remove(machine);
                    if (old != null) {
                        holder.remove(old, machine);
                    }
                }
                default -> {
                }
            }
        }
        return twice;
    }

    private static Map<String, List<String>> duplicates(Map<String, String> hostnames) {
        Map<String, List<String>> holders = new TreeMap<>();
        hostnames.forEach((machine, host) -> holders.computeIfAbsent(host, h -> new ArrayList<>()).add(machine));
        holders.values().removeIf(l -> l.size() < 2);
        return holders;
    }

    private static Map<String, String> hostnameClaims(ScratchDatabase db) throws Exception {
        Map<String, String> claims = new TreeMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select machine_id, claimed_value from node_claim where kind = 'hostname'")) {
            while (rs.next()) {
                claims.put(rs.getString(1), rs.getString(2));
            }
        }
        return claims;
    }

    private static String summary(List<Sent> sent, double seconds) {
        Map<String, Integer> byOutcome = new TreeMap<>();
        Map<String, Map<String, Integer>> byOp = new TreeMap<>();
        long[] millis = sent.stream().mapToLong(Sent::millis).sorted().toArray();
        for (Sent s : sent) {
            int status = s.answer().status();
            String outcome = status >= 200 && status < 300 ? "2xx" : status == 409 ? "409 " + refusal(s.answer()) : "other " + status;
            byOutcome.merge(outcome, 1, Integer::sum);
            byOp.computeIfAbsent(s.op().name().toLowerCase(Locale.ROOT), k -> new TreeMap<>())
                    .merge(status >= 200 && status < 300 ? "2xx" : String.valueOf(status), 1, Integer::sum);
        }
        long ok = sent.stream().filter(s -> s.answer().status() / 100 == 2).count();
        long conflicts = sent.stream().filter(s -> s.answer().status() == 409).count();
        return String.format(Locale.ROOT, "ReplicaConflictIT: %d commands (%d on A, %d on B), %d threads, in %.1f s:"
                        + " %d 2xx, %d 409, %d other; latency p50 %d ms, p99 %d ms, max %d ms%n  outcomes %s%n  by action %s",
                sent.size(), sent.stream().filter(s -> s.replica().equals("A")).count(),
                sent.stream().filter(s -> s.replica().equals("B")).count(), THREADS, seconds, ok, conflicts,
                sent.size() - ok - conflicts, millis[millis.length / 2], millis[(int) (millis.length * 0.99)],
                millis[millis.length - 1], byOutcome, byOp) + "\n  slowest " + sent.stream()
                .sorted(Comparator.comparingLong(Sent::millis).reversed()).limit(3)
                .map(s -> s.op() + " on " + s.replica() + " " + s.answer().status() + " in " + s.millis() + " ms")
                .toList();
    }
}
