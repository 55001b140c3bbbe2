package com.ultracloud.deployer.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.gateway.bootstrap.LabIntent;
import com.ultracloud.deployer.machine.api.LifecycleAction;
import com.ultracloud.deployer.machine.api.MachineState;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hostile requests, all drawn from one seeded {@link Random} (the same seed gives the same requests):
 * for a target found by {@link FuzzTargets}, a method (mostly a mapped one), path variables (real
 * machine ids and action names, or junk), declared and undeclared query parameters (repeated,
 * out of range, NUL, unicode), Content-Type and Accept headers (wildcards, XML, images, garbage),
 * credentials or none, and a body: a real request (discover facts, action bodies, progress reports,
 * the lab's cluster intent) mutated in its tree (wrong types, huge numbers and strings, NUL and lone
 * surrogates, deep nesting, huge arrays, missing and unknown fields) and in its bytes (truncated,
 * trailing garbage, a duplicate key, a BOM, invalid UTF-8, UTF-16, over the size limit, chunked).
 */
final class FuzzRequests {

    /** What the fuzz may aim at: machines in several states, a valid install token and its plan. */
    record Fixture(List<String> machines, String installToken, String planId, Path lab) {
    }

    /** One request; {@code authenticated}: sent with the gateway's normal credentials. */
    record Fuzzed(RawHttp.Request request, boolean authenticated, String correlationId) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern VARIABLE = Pattern.compile("\\{\\*?([^}:]+)(?::[^}]*)?}|\\*\\*");

    /** Strings that break naive handling; none of them looks like a Java name (that is what the test looks for). */
    static final List<String> HOSTILE = List.of("", " ", "x", "-1", "0", "2147483648", "-9223372036854775809",
            "99999999999999999999999", "1e400", "NaN", "null", "true", "{}", "[]", "ü", "日本語", "😀", "\u202e",
            "' OR '1'='1", "%", "_", "\\", "../..", "<a href=x>", "a".repeat(5000), "\u0000", "\ud800", "a\tb", "\r\n",
            "a=b", ",", ",,", "=", "*", "/", "?", "#");
    /** Pre-encoded path and query bits that decoders trip on. */
    static final List<String> RAW_ENCODED = List.of("%00", "%zz", "%", "%2F", "%2e%2e", "..", "%ED%A0%80", "%C0%AF",
            "%FF%FE", "a;b=c", ";jsessionid=1", "%20", "+", "%u0041");
    static final List<String> CONTENT_TYPES = List.of("application/json", "*/*", "application/*", "text/plain",
            "application/xml", "text/html", "image/png", "application/yaml", "application/x-www-form-urlencoded",
            "multipart/form-data", "multipart/form-data; boundary=x", "application/json;charset=utf-16",
            "application/json; charset=ISO-8859-1", "application/json;charset=nope", "application/json;charset=UTF-8",
            "application/problem+json", "application/merge-patch+json", "foo", ";;", "application/", "/json",
            "application/json; q=0.5; x=\"", "APPLICATION/JSON");
    static final List<String> ACCEPTS = List.of("application/json", "*/*", "application/xml", "text/html", "image/png",
            "application/yaml", "application/problem+json", "application/problem+xml", "text/event-stream", "foo",
            "application/json;q=0", "text/html;q=x", "*/*;q=0.1, image/png", "application/*+json", "", ";",
            "application/json, */*;q=0.8", "image/*");
    static final List<String> IF_MATCH = List.of("\"0\"", "\"1\"", "*", "W/\"2\"", "yesterday", "\"99999999999999999999\"",
            "\"-1\"", "");
    static final List<String> PROJECTIONS = List.of("inventory", "install-plans", "intent", "enrollment-policy",
            "InstallSagaProcessor", "credentials");

    private final Random random;
    private final List<FuzzTargets.Target> targets;
    private final Fixture fixture;
    private final List<String> actions = new ArrayList<>();
    private final JsonNode intent;

    FuzzRequests(long seed, List<FuzzTargets.Target> targets, Fixture fixture) {
        this.random = new Random(seed);
        this.targets = targets;
        this.fixture = fixture;
        for (LifecycleAction a : LifecycleAction.values()) {
            a.apiName().ifPresent(actions::add);
        }
        try {
            this.intent = JSON.readTree(FuzzTest.read(fixture.lab().resolve("expected-cluster-state.json")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    Fuzzed next(String correlationId) {
        FuzzTargets.Target target = chance(0.04) ? unknownTarget() : pick(targets);
        String method = method(target);
        Map<String, String> variables = new HashMap<>();
        String requestTarget = path(target.pattern(), variables) + query(target);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(header("X-Correlation-Id", correlationId));
        boolean authenticated = credentials(target.pattern(), headers);
        byte[] body = target.body() ? (chance(0.85) ? body(target.pattern(), variables) : null)
                : (chance(0.1) ? body(target.pattern(), variables) : null);
        if (body != null || chance(0.15)) {
            headers.add(header("Content-Type", body != null && chance(0.6) ? "application/json" : pick(CONTENT_TYPES)));
        }
        if (!chance(0.45)) {
            headers.add(header("Accept", chance(0.4) ? "application/json" : pick(ACCEPTS)));
        }
        if (chance(0.1)) {
            headers.add(header("If-Match", pick(IF_MATCH)));
        }
        oddHeaders(headers);
        if (body != null && chance(0.1)) {
            headers.add(header("Transfer-Encoding", "chunked"));
            body = chunked(body);
        }
        return new Fuzzed(new RawHttp.Request(method, requestTarget, headers, body), authenticated, correlationId);
    }

    private String method(FuzzTargets.Target target) {
        if (chance(0.65)) {
            return target.methods().isEmpty() ? pick(List.of("GET", "POST")) : pick(List.copyOf(target.methods()));
        }
        return pick(FuzzTargets.ALL_METHODS);
    }

    private FuzzTargets.Target unknownTarget() {
        String path = pick(List.of("/", "/api", "/api/v1/", "/api/v1/" + encode(pick(HOSTILE)), "/actuator/nothing",
                "/api/v1/machines/" + uuid() + "/install-plan/x", "/..;/api/v1/machines", "//api/v1/machines",
                "/api/v1/machines/" + pick(RAW_ENCODED), "/api/v2/machines", "/API/V1/MACHINES", "/index.html"));
        return new FuzzTargets.Target(path, java.util.Set.of(), java.util.Set.of("x"), false);
    }

    private String path(String pattern, Map<String, String> variables) {
        Matcher m = VARIABLE.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) == null ? "rest" : m.group(1);
            String value = variable(name);
            variables.put(name, value);
            String encoded = chance(0.08) ? pick(RAW_ENCODED) : encode(value);
            m.appendReplacement(out, Matcher.quoteReplacement(encoded.isEmpty() ? "%20" : encoded));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String variable(String name) {
        return switch (name) {
            case "id", "machineId" -> chance(0.6) ? pick(fixture.machines()) : chance(0.4) ? uuid().toString()
                    : pick(HOSTILE);
            case "action" -> chance(0.7) ? pick(actions) : pick(HOSTILE);
            case "name" -> chance(0.6) ? pick(PROJECTIONS) : pick(HOSTILE);
            case "requiredMetricName" -> chance(0.5) ? pick(List.of("jvm.memory.used", "http.server.requests")) : pick(HOSTILE);
            default -> chance(0.3) ? "x/y" : pick(HOSTILE);
        };
    }

    private String query(FuzzTargets.Target target) {
        List<String> pairs = new ArrayList<>();
        for (String param : target.params()) {
            if (!chance(0.5)) {
                continue;
            }
            int times = chance(0.1) ? 2 + random.nextInt(2) : 1;
            for (int i = 0; i < times; i++) {
                pairs.add(encode(param) + "=" + (chance(0.06) ? pick(RAW_ENCODED) : encode(parameter(param))));
            }
        }
        if (chance(0.08)) {
            pairs.add(encode(pick(HOSTILE)) + "=" + encode(pick(HOSTILE)));
        }
        if (chance(0.03)) {
            pairs.add(pick(List.of("&&", "=", "a", "a=%zz", "%00=1", "page")));
        }
        return pairs.isEmpty() ? "" : "?" + String.join("&", pairs);
    }

    private String parameter(String name) {
        if (chance(0.3)) {
            return pick(HOSTILE);
        }
        return switch (name) {
            case "page", "size" -> pick(List.of("0", "1", "2", "50", "500", "501", "-1", "2147483647", "2147483648",
                    "4294967", "abc", "1.5"));
            case "sort" -> pick(List.of("hostname", "state", "lastSeen,desc", "machineId,asc", "pool,DESC",
                    "hostname,sideways", "password", ",", "hostname,desc,x", " hostname , desc "));
            case "state" -> pick(Arrays.stream(MachineState.values()).map(Enum::name).toList()) + (chance(0.3) ? ",ACTIVE" : "");
            case "label" -> pick(List.of("role=worker", "role", "=", "a=b=c", "rack=a"));
            case "q" -> pick(List.of("SN1", "b4:96", "worker", "cp-2", "4c4c4544"));
            case "consistent" -> pick(List.of("true", "false", "yes", "1"));
            case "at" -> pick(List.of("0", "1", "2", "-1", "2026-01-01T00:00:00Z", "99999999999999999999", "now",
                    "9999-12-31T23:59:59Z"));
            case "wait" -> pick(List.of("0", "1ms", "100ms", "1s", "PT0.2S", "-1s", "5m", "99999999999s", "1h"));
            case "machineId" -> pick(fixture.machines());
            default -> pick(HOSTILE);
        };
    }

    /** Adds credentials (or wrong ones); whether the gateway's normal credentials are to be added too. */
    private boolean credentials(String pattern, List<Map.Entry<String, String>> headers) {
        if (pattern.startsWith("/api/v1/bootstrap/plan") || pattern.startsWith("/api/v1/bootstrap/progress")) {
            double d = random.nextDouble();
            if (d < 0.5) {
                headers.add(header("Authorization", "Bearer " + fixture.installToken()));
            } else if (d < 0.7) {
                headers.add(header("Authorization", pick(List.of("Bearer x", "Bearer", "bearer " + fixture.installToken(),
                        "Basic Zm9vOmJhcg==", "Bearer " + "t".repeat(600)))));
            }
            return true;
        }
        double d = random.nextDouble();
        if (d < 0.85) {
            return true;
        }
        if (d < 0.95) {
            return false;
        }
        headers.add(header("Authorization", pick(List.of("Bearer x", "Basic Zm9vOmJhcg==", "Negotiate", ""))));
        return false;
    }

    private void oddHeaders(List<Map.Entry<String, String>> headers) {
        if (chance(0.04)) {
            headers.add(header("Content-Type", pick(CONTENT_TYPES)));
        }
        if (chance(0.02)) {
            headers.add(header("Host", pick(List.of("evil.example", "127.0.0.1:1", "[::1]", "a b"))));
        }
        if (chance(0.03)) {
            headers.add(header("X-Fuzz", pick(List.of("ü", "a".repeat(10_000), "\t", "x\u0001y"))));
        }
        if (chance(0.03)) {
            headers.add(header("X-Correlation-Id", "second"));
        }
    }

    /** A real request body for the endpoint, often mutated. */
    private byte[] body(String pattern, Map<String, String> variables) {
        JsonNode tree = example(pattern, variables);
        List<String> raw = new ArrayList<>();
        int mutations = chance(0.25) ? 0 : 1 + random.nextInt(2);
        for (int i = 0; i < mutations; i++) {
            tree = mutateTree(tree, raw);
        }
        String text;
        try {
            text = JSON.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < raw.size(); i++) {
            text = text.replace("\"@@RAW" + i + "@@\"", raw.get(i));
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return chance(0.35) ? mutateBytes(bytes, tree) : bytes;
    }

    private JsonNode example(String pattern, Map<String, String> variables) {
        if (pattern.endsWith("/discover")) {
            double d = random.nextDouble();
            if (d < 0.6) {
                return Hardware.clone("server-nvme-sata-usb", 1 + random.nextInt(40));
            }
            return d < 0.8 ? Hardware.load("placeholder-uuid-two-nics")
                    : LabIntent.hardware(pick(List.of("cp-1", "cp-2", "cp-3", "storage-1", "worker-1", "worker-2")));
        }
        if (pattern.endsWith("/progress")) {
            ObjectNode p = NODES.objectNode();
            p.put("planId", chance(0.7) ? fixture.planId() : "plan-" + random.nextInt(100));
            p.put("result", pick(List.of("started", "running", "succeeded", "failed", "done")));
            p.put("step", "disko").put("percent", random.nextInt(130) - 10).put("message", "fuzz").put("logTail", "tail");
            return p;
        }
        if (pattern.startsWith("/api/v1/cluster/intent")) {
            return intent.deepCopy();
        }
        ObjectNode o = NODES.objectNode();
        switch (variables.getOrDefault("action", "")) {
            case "commission" -> o.put("nodeClass", "worker").put("pool", "general").put("hostname", "fz-" + random.nextInt(50))
                    .putObject("labels").put("role", "worker");
            case "inspect" -> o.put("nodeClass", pick(List.of("worker", "storage", "control-plane", "none")));
            case "install" -> o.put("attemptLimit", random.nextInt(4));
            case "reprovision" -> o.put("force", random.nextBoolean());
            case "mark-failed" -> o.put("reason", "fuzz");
            default -> {
                // no body of its own: an empty object, or whatever a mutation makes of it
            }
        }
        return o;
    }

    private JsonNode mutateTree(JsonNode tree, List<String> raw) {
        ContainerNode<?> container = container(tree);
        switch (random.nextInt(6)) {
            case 0, 1 -> set(container, hostileValue(raw));
            case 2 -> {
                if (container instanceof ObjectNode o && o.size() > 0) {
                    o.remove(pick(fieldNames(o)));
                }
            }
            case 3 -> {
                if (container instanceof ObjectNode o) {
                    o.set("zz" + random.nextInt(5), hostileValue(raw));
                }
            }
            case 4 -> {
                // many copies of a small element (a NIC, a number): a big element would make the body
                // gigabytes in this generator, long before the gateway's 1 MiB limit refuses it
                ArrayNode huge = NODES.arrayNode();
                JsonNode first = container.size() > 0 ? container.elements().next() : null;
                JsonNode element = first != null && first.toString().length() <= 2_000 ? first : NODES.numberNode(0);
                int n = element.isContainerNode() ? 300 : 20_000;
                for (int i = 0; i < n; i++) {
                    huge.add(element.deepCopy());
                }
                set(container, huge);
            }
            default -> {
                return chance(0.5) ? NODES.arrayNode().add(tree) : hostileValue(raw);
            }
        }
        return tree;
    }

    /** A random object or array inside {@code tree} (the root itself if it is one). */
    private ContainerNode<?> container(JsonNode tree) {
        if (!(tree instanceof ContainerNode<?> current)) {
            return NODES.objectNode();
        }
        while (chance(0.6)) {
            List<JsonNode> children = new ArrayList<>();
            current.elements().forEachRemaining(c -> {
                if (c.isContainerNode()) {
                    children.add(c);
                }
            });
            if (children.isEmpty()) {
                break;
            }
            current = (ContainerNode<?>) pick(children);
        }
        return current;
    }

    private void set(ContainerNode<?> container, JsonNode value) {
        if (container instanceof ObjectNode o) {
            o.set(o.size() > 0 && chance(0.8) ? pick(fieldNames(o)) : "zz", value);
        } else if (container instanceof ArrayNode a) {
            if (a.size() > 0) {
                a.set(random.nextInt(a.size()), value);
            } else {
                a.add(value);
            }
        }
    }

    private JsonNode hostileValue(List<String> raw) {
        return switch (random.nextInt(16)) {
            case 0 -> NODES.numberNode(-1);
            case 1 -> NODES.numberNode(Long.MAX_VALUE);
            case 2 -> NODES.numberNode(1.5);
            case 3 -> rawNode(raw, pick(List.of("1e400", "123456789012345678901234567890", "-0", "1E+2", "0.0000001")));
            case 4 -> NODES.textNode(pick(HOSTILE));
            case 5 -> NODES.textNode("x".repeat(chance(0.5) ? 300 : 70_000));
            case 6 -> rawNode(raw, pick(List.of("\"a\\u0000b\"", "\"\\ud800\"", "\"x\\udc00y\"", "\"\\ud83d\\ude00\"")));
            case 7 -> NODES.nullNode();
            case 8 -> NODES.booleanNode(random.nextBoolean());
            case 9 -> NODES.objectNode();
            case 10 -> NODES.arrayNode();
            case 11 -> rawNode(raw, nested("[", "]"));
            case 12 -> rawNode(raw, nested("{\"a\":", "}"));
            case 13 -> NODES.arrayNode().add(NODES.nullNode());
            case 14 -> NODES.textNode(pick(List.of("02:00:00:00:00:01", "ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00",
                    "uefi", "bios", "10.0.0.1/33", "4c4c4544-0000-1000-8000-000000000001", "03000200-0400-0500-0006-000700080009")));
            default -> NODES.numberNode(random.nextInt());
        };
    }

    /** A value nested around 64 levels (the limit) deep, or much deeper. */
    private String nested(String open, String close) {
        int depth = pick(List.of(10, 63, 65, 200, 3000));
        return open.repeat(depth) + "1" + close.repeat(depth);
    }

    private JsonNode rawNode(List<String> raw, String text) {
        raw.add(text);
        return NODES.textNode("@@RAW" + (raw.size() - 1) + "@@");
    }

    private byte[] mutateBytes(byte[] body, JsonNode tree) {
        String text = new String(body, StandardCharsets.UTF_8);
        return switch (random.nextInt(10)) {
            case 0 -> Arrays.copyOf(body, random.nextInt(Math.max(1, body.length)));
            case 1 -> (text + pick(List.of(" x", "}", "{}", "\n\n", "]", "null", ",", "\u0000"))).getBytes(StandardCharsets.UTF_8);
            case 2 -> concat(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, body);
            case 3 -> {
                if (tree instanceof ObjectNode o && o.size() > 0 && text.startsWith("{")) {
                    yield ("{\"" + fieldNames(o).get(0) + "\":null," + text.substring(1)).getBytes(StandardCharsets.UTF_8);
                }
                yield body;
            }
            case 4 -> insert(body, new byte[]{0});
            case 5 -> insert(body, new byte[]{(byte) 0xC3, (byte) 0x28});
            case 6 -> text.getBytes(StandardCharsets.UTF_16LE);
            case 7 -> pick(List.of("", "null", "[]", "42", "\"s\"", "{", "}{", "{\"a\":}", "{\"a\" 1}", "[1,]", "{'a':1}",
                    "{\"a\":1}/*c*/", "NaN", "-")).getBytes(StandardCharsets.UTF_8);
            case 8 -> {
                byte[] random = new byte[1 + this.random.nextInt(64)];
                this.random.nextBytes(random);
                yield random;
            }
            default -> {
                // over the size limits (discover's 256 KiB, else 1 MiB): still valid JSON, padded with spaces
                int size = chance(0.7) ? 300_000 : 1_100_000;
                byte[] padded = Arrays.copyOf(body, Math.max(size, body.length + 1));
                Arrays.fill(padded, body.length, padded.length, (byte) ' ');
                yield padded;
            }
        };
    }

    private byte[] insert(byte[] body, byte[] what) {
        int at = random.nextInt(body.length + 1);
        return concat(concat(Arrays.copyOf(body, at), what), Arrays.copyOfRange(body, at, body.length));
    }

    private byte[] chunked(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < body.length) {
            int n = Math.min(body.length - at, 1 + random.nextInt(65_536));
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, at, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            at += n;
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static List<String> fieldNames(ObjectNode o) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    /** Percent-encodes everything but unreserved characters (a lone surrogate becomes '?'). */
    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Map.Entry<String, String> header(String name, String value) {
        return new AbstractMap.SimpleImmutableEntry<>(name, value);
    }

    private UUID uuid() {
        return new UUID(random.nextLong(), random.nextLong());
    }

    private boolean chance(double p) {
        return random.nextDouble() < p;
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }
}
