package com.ultracloud.deployer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.gateway.bootstrap.LabIntent;
import com.ultracloud.deployer.machine.api.LifecycleAction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends a catalogue of bad requests to every endpoint and asserts that none is answered with a 5xx,
 * and that every error is a problem+json without a stack trace or a Java class name; then one named
 * case for each class of hostile input that the fuzz (FuzzTest) casts its net for.
 */
class BadInputTest {

    @TempDir
    static Path dataDir;
    static RunningGateway gw;
    static String machine;

    static final List<String> BAD_BODIES = List.of(
            "", "null", "[]", "42", "\"text\"", "{", "{\"a\":", "}{", "{\"nics\":{}}", "{\"nics\":[1,2]}",
            "{\"disks\":[null]}", "{\"identity\":[]}", "{\"memoryBytes\":-5}", "{\"memoryBytes\":1e400}",
            "{\"memoryBytes\":99999999999999999999999}", "{\"cpu\":{\"threads\":\"many\"}}",
            "{\"nodeClass\":{},\"pool\":[],\"hostname\":12}", "{\"attemptLimit\":\"x\"}", "{\"attemptLimit\":0}",
            "{\"force\":\"maybe\"}", "{\"reason\":" + "\"" + "r".repeat(3000) + "\"}", "{\"labels\":[1]}",
            "\u0000\u0001", "{\"boot\":{\"mode\":\"floppy\"}}", "{\"network\":{\"addresses\":[\"not an address\"]}}",
            "{\"nics\":[{\"mac\":\"ff:ff:ff:ff:ff:ff\"}]}");

    /** Cluster-state documents of the wrong shape, on top of BAD_BODIES. */
    static final List<String> INTENT_BODIES = new ArrayList<>(BAD_BODIES);

    static {
        INTENT_BODIES.addAll(List.of("{}", "{\"schemaVersion\":\"one\"}", "{\"schemaVersion\":1,\"cluster\":[]}",
                "{\"schemaVersion\":1,\"nodes\":[null]}", "{\"nodes\":{}}", "{\"enrollmentRules\":[{}]}",
                "{\"enrollmentRules\":[{\"name\":\"x\",\"match\":{\"dmi\":{\"vendor\":{\"operator\":null}}},\"assign\":{}}]}",
                "{\"diskPolicies\":[{\"name\":\"d\",\"rootDeviceHints\":[{\"hint\":\"size\",\"values\":[{}]}]}]}",
                "{\"diskPolicies\":[{\"name\":\"d\",\"rootDeviceHints\":[{\"hint\":\"size\",\"operator\":\">=\",\"values\":[]}]}]}",
                "{\"diskPolicies\":[{\"name\":\"d\",\"rootDeviceHints\":[null]}]}",
                "{\"networks\":[{\"name\":\"n\",\"cidr\":\"10.0.0.0/99\"}]}",
                "{\"nodes\":[{\"nodeId\":\"a\",\"match\":{\"smbiosUuid\":\"zz\"},\"addresses\":[{\"network\":null}]}]}",
                "{\"enrollmentRules\":[{\"name\":\"r\",\"maxCount\":-1,\"assign\":{\"nodeClass\":\"c\",\"hostnamePattern\":\"{index\"}}]}",
                "{\"servicePolicies\":\"opaque\"}", "{\"hostDeployments\":[{\"name\":\"h\",\"selector\":{}}]}",
                "{\"cluster\":{\"name\":\"c\",\"operatorSshKeys\":[null,\"ssh-ed25519\"]}}", "{\"cluster\":{\"operatorSshKeys\":7}}",
                "{\"networks\":[{\"name\":\"n\",\"mtu\":\"big\",\"domain\":[]}]}",
                "{\"nodes\":[{\"nodeId\":\"a\",\"autoInstall\":\"yes\",\"rootDeviceHints\":[null]}]}",
                "{\"nodes\":[{\"nodeId\":\"a\",\"rootDeviceHints\":[]}]}",
                "{\"enrollmentRules\":[{\"name\":\"r\",\"match\":{\"disks\":[null,{}]},\"assign\":{\"nodeClass\":\"c\",\"hostnamePattern\":\"w-{index:0}\",\"firstIndex\":2147483647},\"maxCount\":3}]}",
                "{\"enrollmentRules\":[{\"name\":\"r\",\"match\":{\"disks\":5},\"assign\":{\"firstIndex\":-3}}]}"));
    }

    @BeforeAll
    static void start() {
        gw = RunningGateway.embedded(dataDir);
        machine = gw.post("/api/v1/bootstrap/discover", Hardware.clone("server-nvme-sata-usb", 1)).json()
                .get("machineId").asText();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void noBadBodyOnAnyPostEndpointGetsA5xx() {
        List<String> paths = new ArrayList<>(List.of("/api/v1/bootstrap/discover", "/api/v1/bootstrap/progress"));
        for (LifecycleAction a : LifecycleAction.values()) {
            a.apiName().ifPresent(name -> paths.add("/api/v1/machines/" + machine + "/" + name));
        }
        paths.add("/api/v1/machines/" + UUID.randomUUID() + "/inspect");
        paths.add("/api/v1/machines/not-a-uuid/inspect");
        paths.add("/api/v1/machines/" + machine + "/no-such-action");
        paths.add("/api/v1/admin/projections/no-such/replay");
        paths.add("/api/v1/cluster/intent/preview");
        List<String> failures = new ArrayList<>();
        for (String path : paths) {
            for (String body : BAD_BODIES) {
                for (String type : List.of("application/json", "text/plain")) {
                    RunningGateway.Response r = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                            .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body)), Map.of());
                    check(failures, "POST " + path + " [" + type + "] " + abbreviate(body), r);
                }
            }
        }
        for (String body : INTENT_BODIES) {
            for (String type : List.of("application/json", "text/plain")) {
                RunningGateway.Response r = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/cluster/intent"))
                        .header("Content-Type", type).PUT(HttpRequest.BodyPublishers.ofString(body)), Map.of());
                check(failures, "PUT /api/v1/cluster/intent [" + type + "] " + abbreviate(body), r);
                if (r.status() < 400) {
                    failures.add("PUT /api/v1/cluster/intent accepted a bad document: " + abbreviate(body) + " -> " + r);
                }
                RunningGateway.Response p = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/cluster/intent/preview"))
                        .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body)), Map.of());
                check(failures, "POST /api/v1/cluster/intent/preview [" + type + "] " + abbreviate(body), p);
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void noBadQueryOrPathOnAnyGetEndpointGetsA5xx() {
        List<String> gets = List.of(
                "/api/v1/machines?page=-1", "/api/v1/machines?size=100000", "/api/v1/machines?page=abc",
                "/api/v1/machines?state=", "/api/v1/machines?state=ACTIVE,NOPE", "/api/v1/machines?sort=password",
                "/api/v1/machines?sort=hostname,sideways", "/api/v1/machines?q=%25%5F%5C", "/api/v1/machines?label=%3D",
                "/api/v1/machines?after=", "/api/v1/machines?after=%00", "/api/v1/machines?after=" + cursor("v1\nlastSeen\n=soon\nx"),
                "/api/v1/machines/x", "/api/v1/machines/" + UUID.randomUUID(),
                "/api/v1/machines/" + machine + "?consistent=perhaps",
                "/api/v1/machines/" + machine + "/state", "/api/v1/machines/" + machine + "/state?at=",
                "/api/v1/machines/" + machine + "/state?at=-1", "/api/v1/machines/" + machine + "/state?at=yesterday",
                "/api/v1/machines/" + machine + "/state?at=99999999999999999999",
                "/api/v1/machines/" + machine + "/state?at=1970-01-01T00:00:00Z",
                "/api/v1/machines/" + UUID.randomUUID() + "/state?at=0",
                "/api/v1/machines/" + UUID.randomUUID() + "/events", "/api/v1/machines/%00/events",
                "/api/v1/nothing-here", "/api/v1/machines/" + machine + "/inspect", "/api/v1/cluster/intent",
                "/api/v1/cluster/intent/preview",
                "/api/v1/machines/" + machine + "/install-plan", "/api/v1/machines/x/install-plan",
                "/api/v1/machines/" + UUID.randomUUID() + "/install-plan",
                "/api/v1/bootstrap/plan", "/api/v1/bootstrap/plan?wait=abc", "/api/v1/bootstrap/plan?machineId=x");
        List<String> failures = new ArrayList<>();
        for (String path : gets) {
            check(failures, "GET " + path, gw.get(path));
        }
        for (String auth : List.of("Bearer", "Bearer ", "Bearer " + "t".repeat(300), "Bearer %00", "bearer x y",
                "Basic Zm9vOmJhcg==", "Bearer éè")) {
            for (String query : List.of("", "?wait=-5s", "?wait=99999999999", "?wait=PT-1S", "?machineId=not-a-uuid",
                    "?wait=1ms&machineId=" + UUID.randomUUID())) {
                check(failures, "GET /api/v1/bootstrap/plan" + query + " [" + auth + "]",
                        gw.get("/api/v1/bootstrap/plan" + query, Map.of("Authorization", auth)));
            }
            for (String body : BAD_BODIES) {
                check(failures, "POST /api/v1/bootstrap/progress [" + auth + "] " + abbreviate(body),
                        gw.post("/api/v1/bootstrap/progress", body, Map.of("Authorization", auth)));
            }
        }
        RunningGateway.Response del = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/machines"))
                .DELETE(), Map.of());
        check(failures, "DELETE /api/v1/machines", del);
        RunningGateway.Response badIfMatch = gw.post("/api/v1/machines/" + machine + "/inspect", null,
                Map.of("If-Match", "yesterday"));
        check(failures, "If-Match: yesterday", badIfMatch);
        assertThat(failures).isEmpty();
    }

    @Test
    void pagingWhoseOffsetOverflowsAnIntIsRefused() {
        assertInvalid(gw.get("/api/v1/machines?page=2147483647&size=500"), "page");
        assertInvalid(gw.get("/api/v1/machines?page=4294968&size=500"), "page");
        assertThat(gw.get("/api/v1/machines?page=4294967&size=500").status()).isEqualTo(200);
    }

    /**
     * {@code after} is only ever the {@code next} of a page: anything else, including a well-formed cursor
     * whose value cannot be the sorted field's (a time that is not one) or without a machine id, is a 400.
     * A forged cursor with any text in it is only ever a bound parameter.
     */
    @Test
    void aMalformedOrForgedCursorIsRefused() {
        for (String after : List.of("", "x", "%00", cursor("v2\nhostname\n-\nid"), cursor("v1\nhostname\n-\n"),
                cursor("v1\nhostname\n?\nid"), cursor("v1\nlastSeen,desc\n=yesterday\nid"))) {
            String sort = after.equals(cursor("v1\nlastSeen,desc\n=yesterday\nid")) ? "&sort=lastSeen,desc" : "";
            assertInvalid(gw.get("/api/v1/machines?after=" + after + sort), "after");
        }
        RunningGateway.Response forged = gw.get("/api/v1/machines?after=" + cursor("v1\nhostname\n=' or 1=1 --\n%"));
        assertThat(forged.status()).as(forged.toString()).isEqualTo(200);
        assertThat(gw.get("/api/v1/machines?sort=hostname,DESC&after=" + cursor("v1\nhostname,desc\n-\nzzz")).status())
                .isEqualTo(200);
    }

    private static String cursor(String text) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void aMalformedSortIsRefused() {
        for (String sort : List.of(",", "hostname,sideways", "hostname,desc,x", "password", ",desc")) {
            assertInvalid(gw.get("/api/v1/machines?sort=" + sort), "sort");
        }
        assertThat(gw.get("/api/v1/machines?sort=hostname,DESC").status()).isEqualTo(200);
    }

    @Test
    void aWildcardOrUnparsableContentTypeIsRefusedWith415() {
        for (String type : List.of("*/*", "application/*", "application/json;charset=utf-16", "foo")) {
            RunningGateway.Response r = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/bootstrap/discover"))
                    .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString("{}")), Map.of());
            assertProblem(r, 415);
        }
    }

    @Test
    void theErrorPathCalledDirectlyIsNotFound() {
        assertProblem(gw.get("/error"), 404);
        assertProblem(gw.post("/error", "{}"), 404);
    }

    @Test
    void connectAndTraceAreRefusedWith405Problems() {
        for (String method : List.of("CONNECT", "TRACE")) {
            RawHttp.Response r = gw.raw(new RawHttp.Request(method, "/api/v1/machines", List.of(), null), true);
            assertThat(r.status()).as(r.toString()).isEqualTo(405);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.text()).contains("\"status\":405").contains(method).doesNotContain("Internal error");
            assertThat(r.header("allow")).isNotBlank();
        }
    }

    @Test
    void aRepeatedSingleValuedParameterIsRefusedByName() {
        RunningGateway.Response r = gw.get("/api/v1/machines?page=a&page=b");
        assertInvalid(r, "page");
        assertThat(r.body()).doesNotContain("[L").contains("given 2 times");
        assertInvalid(gw.get("/api/v1/machines/" + machine + "/state?at=0&at=1"), "at");
        assertThat(gw.get("/api/v1/machines?state=DISCOVERED&state=FAILED").status()).isEqualTo(200);
    }

    @Test
    void errorsAreProblemJsonWhateverTheClientAccepts() {
        for (String accept : List.of("application/xml", "text/html", "image/png", "foo", "text/html;q=x")) {
            RunningGateway.Response r = gw.get("/api/v1/machines/not-a-uuid", Map.of("Accept", accept));
            assertThat(r.status()).as(accept + ": " + r).isIn(400, 406);
            assertThat(r.isProblem()).as(accept + ": " + r).isTrue();
            assertThat(r.json().path("detail").asText()).isNotBlank();
        }
        RunningGateway.Response unknownMetric = gw.get("/actuator/metrics/no.such.metric");
        assertProblem(unknownMetric, 404);
        // an empty Accept is no preference (the Prometheus endpoint used to fail on it)
        RawHttp.Response scrape = gw.raw(new RawHttp.Request("GET", "/actuator/prometheus",
                List.of(Map.entry("Accept", "")), null), true);
        assertThat(scrape.status()).as(scrape.toString()).isEqualTo(200);
    }

    @Test
    void anActionWhoseAnswerTheClientCannotAcceptChangesNothing() {
        String id = gw.post("/api/v1/bootstrap/discover", Hardware.clone("server-nvme-sata-usb", 801)).json()
                .get("machineId").asText();
        for (String accept : List.of("image/png", "application/yaml", "foo")) {
            assertProblem(gw.post("/api/v1/machines/" + id + "/mark-failed", "{}", Map.of("Accept", accept)), 406);
        }
        assertThat(gw.get("/api/v1/machines/" + id + "/events").json()).hasSize(1);
    }

    @Test
    void jsonThatJacksonWouldForgiveIsRefused() {
        String discover = "/api/v1/bootstrap/discover";
        String facts = RunningGateway.write(Hardware.clone("server-nvme-sata-usb", 802));
        assertInvalid(gw.post(discover, facts + " trailing"), "$");
        assertInvalid(gw.post(discover, facts + "{}"), "$");
        assertInvalid(gw.post(discover, "{\"memoryBytes\":1," + facts.substring(1)), "memoryBytes");
        assertInvalid(gw.post(discover, "\uFEFF" + facts), "$");
        assertInvalid(gw.post(discover, "null"), "$");
        assertInvalid(gw.post("/api/v1/machines/" + machine + "/mark-failed", "null"), "$");
        assertInvalid(gw.post(discover, facts.replace("\"Dell Inc.\"", "\"Dell\\u0000\"")), "identity.vendor");
        assertInvalid(gw.post(discover, facts.replace("\"Dell Inc.\"", "\"Dell\\ud800\"")), "identity.vendor");
        RunningGateway.Response deep = gw.post(discover, "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}");
        assertProblem(deep, 400);
        assertThat(deep.body()).contains("nested deeper than 64 levels");
        assertThat(gw.get("/api/v1/machines?q=SN802").json().path("total").asInt()).isZero();
    }

    @Test
    void anIntentPreviewWithANullNodeIsInvalidNotAFailure() throws Exception {
        JsonNode lab = new ObjectMapper()
                .readTree(LabIntent.LAB.resolve("expected-cluster-state.json").toFile());
        ((ArrayNode) lab.get("nodes")).addNull();
        RunningGateway.Response preview = gw.post("/api/v1/cluster/intent/preview", RunningGateway.write(lab));
        assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
        assertThat(preview.json().path("valid").asBoolean()).isFalse();
        assertThat(preview.json().path("errors").findValuesAsText("field")).contains("nodes[3]");
    }

    @Test
    void theIntentIsImportedOnlyAsJson() {
        for (String type : List.of("text/plain", "application/octet-stream", "application/x-www-form-urlencoded")) {
            RunningGateway.Response r = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/cluster/intent"))
                    .header("Content-Type", type).PUT(HttpRequest.BodyPublishers.ofString("{}")), Map.of());
            assertProblem(r, 415);
        }
        RunningGateway.Response multipart = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/bootstrap/discover"))
                .header("Content-Type", "multipart/form-data").POST(HttpRequest.BodyPublishers.ofString("a=1")), Map.of());
        assertProblem(multipart, 415);
    }

    @Test
    void theFactsDocumentIsBounded() {
        String discover = "/api/v1/bootstrap/discover";
        ObjectNode facts = Hardware.clone("server-nvme-sata-usb", 803);
        ((ObjectNode) facts.get("identity")).put("vendor", "v".repeat(257));
        assertInvalid(gw.post(discover, facts), "identity.vendor");

        facts = Hardware.clone("server-nvme-sata-usb", 803);
        ArrayNode byId = ((ObjectNode)
                facts.get("disks").get(0)).putArray("byId");
        for (int i = 0; i < 33; i++) {
            byId.add("nvme-link-" + i);
        }
        assertInvalid(gw.post(discover, facts), "disks[0].byId");

        facts = Hardware.clone("server-nvme-sata-usb", 803);
        facts.putObject("network").putArray("dns").add("x".repeat(300));
        assertInvalid(gw.post(discover, facts), "network.dns[0]");

        facts = Hardware.clone("server-nvme-sata-usb", 803);
        facts.put("padding", " ".repeat(300_000)); // unknown fields are ignored, but still count
        assertProblem(gw.post(discover, facts), 413);
        assertThat(gw.get("/api/v1/machines?q=SN803").json().path("total").asInt()).isZero();
    }

    private static void assertInvalid(RunningGateway.Response r, String field) {
        assertProblem(r, 400);
        assertThat(r.json().path("errors").findValuesAsText("field")).as(r.toString()).contains(field);
    }

    private static void assertProblem(RunningGateway.Response r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.isProblem()).as(r.toString()).isTrue();
        assertThat(r.json().path("status").asInt()).isEqualTo(status);
        assertThat(r.json().path("detail").asText()).isNotBlank();
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("java.");
    }

    private static void check(List<String> failures, String what, RunningGateway.Response r) {
        Optional<String> problem = Optional.empty();
        if (r.status() >= 500) {
            problem = Optional.of("answered " + r.status());
        } else if (r.status() >= 400 && !r.isProblem()) {
            problem = Optional.of("error without problem+json: " + r.contentType());
        } else if (r.body().contains("Exception") || r.body().contains("\tat ") || r.body().contains("java.")) {
            problem = Optional.of("leaks internals");
        }
        problem.ifPresent(p -> failures.add(what + " -> " + p + ": " + r));
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
