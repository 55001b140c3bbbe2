package com.ultracloud.deployer.gateway;

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
 * and that every error is a problem+json without a stack trace or a Java class name.
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
