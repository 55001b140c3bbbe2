package com.ultracloud.deployer.gateway.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import com.ultracloud.deployer.gateway.Hardware;
import com.ultracloud.deployer.gateway.RunningGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OIDC JWTs against the real gateway: an in-test issuer (JDK HTTP server) publishes its discovery
 * document and an RSA JWK set; JWTs signed with its key give the role in their {@code roles} claim and
 * are recorded as {@code jwt:<sub>}. Expired, foreign-issuer, foreign-key and subject-less JWTs get 401.
 */
class OidcTest {

    @TempDir
    static Path dataDir;
    static HttpServer issuer;
    static String issuerUri;
    static RSAKey key;
    static RunningGateway gw;

    @BeforeAll
    static void start() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("test-key").generate();
        issuer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuerUri = "http://127.0.0.1:" + issuer.getAddress().getPort() + "/realms/lab";
        serve("/realms/lab/.well-known/openid-configuration",
                "{\"issuer\":\"" + issuerUri + "\",\"jwks_uri\":\"" + issuerUri + "/keys\"}");
        serve("/realms/lab/keys", new JWKSet(key.toPublicJWK()).toString());
        issuer.start();
        gw = RunningGateway.embedded(dataDir, "--deployer.security.oidc.issuer-uri=" + issuerUri);
    }

    @AfterAll
    static void stop() {
        gw.close();
        issuer.stop(0);
    }

    private static void serve(String path, String json) {
        issuer.createContext(path, exchange -> {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
    }

    static String jwt(RSAKey signer, Consumer<JWTClaimsSet.Builder> claims) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer(issuerUri).subject("alice")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
        claims.accept(b);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID()).build(), b.build());
        try {
            jwt.sign(new RSASSASigner(signer));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    static String jwt(Consumer<JWTClaimsSet.Builder> claims) {
        return jwt(key, claims);
    }

    @Test
    void anOperatorsJwtActsAndItsSubjectIsRecordedInTheEvents() {
        String token = jwt(c -> c.claim("roles", List.of("operator")));
        String machine = gw.post("/api/v1/bootstrap/discover", Hardware.clone("server-nvme-sata-usb", 91)).json()
                .get("machineId").asText();
        RunningGateway.Response r = gw.as(token).post("/api/v1/machines/" + machine + "/inspect", null);
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        JsonNode inspected = null;
        for (JsonNode e : gw.get("/api/v1/machines/" + machine + "/events").json()) {
            if ("MachineInspected".equals(e.get("type").asText())) {
                inspected = e;
            }
        }
        assertThat(inspected).isNotNull();
        assertThat(inspected.at("/metadata/principal").asText()).isEqualTo("jwt:alice");
        // operator includes viewer, not admin
        assertThat(gw.as(token).get("/api/v1/machines").status()).isEqualTo(200);
        assertThat(gw.as(token).get("/api/v1/admin/tokens").status()).isEqualTo(403);
    }

    @Test
    void theRolesClaimMayBeAStringAndMayNameOtherApplicationsRoles() {
        String viewer = jwt(c -> c.claim("roles", "billing-reader viewer"));
        assertThat(gw.as(viewer).get("/api/v1/machines").status()).isEqualTo(200);
        RunningGateway.Response refused = gw.as(viewer).put("/api/v1/cluster/intent", "{}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("detail").asText()).contains("needs the admin role").contains("jwt:alice has the viewer role");

        String admin = jwt(c -> c.subject("ci-pipeline").claim("roles", List.of("offline_access", "admin")));
        RunningGateway.Response created = gw.as(admin).post("/api/v1/admin/tokens", Map.of("name", "from-jwt", "role", "viewer"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("createdBy").asText()).isEqualTo("jwt:ci-pipeline");
    }

    @Test
    void aJwtWithoutADeployerRoleIsAuthenticatedButAllowedNothing() {
        RunningGateway.Response r = gw.as(jwt(c -> c.claim("roles", List.of("billing-reader")))).get("/api/v1/machines");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("detail").asText()).contains("jwt:alice has no deployer role");
    }

    @Test
    void expiredForeignAndSubjectlessJwtsAreRefusedWith401() throws Exception {
        Instant past = Instant.now().minus(Duration.ofHours(2));
        String expired = jwt(c -> c.claim("roles", List.of("admin")).issueTime(Date.from(past))
                .expirationTime(Date.from(past.plus(Duration.ofMinutes(5)))));
        String otherIssuer = jwt(c -> c.claim("roles", List.of("admin")).issuer("http://127.0.0.1:1/realms/evil"));
        String otherKey = jwt(new RSAKeyGenerator(2048).keyID("test-key").generate(), c -> c.claim("roles", List.of("admin")));
        String noSubject = jwt(c -> c.claim("roles", List.of("admin")).subject(null));
        Map<String, String> cases = Map.of("expired", expired, "issuer", otherIssuer, "key", otherKey, "subject", noSubject);
        cases.forEach((why, token) -> {
            RunningGateway.Response r = gw.as(token).get("/api/v1/machines");
            assertThat(r.status()).as(why + ": " + r).isEqualTo(401);
            assertThat(r.isProblem()).isTrue();
            assertThat(r.header("WWW-Authenticate").orElse("")).contains("error=\"invalid_token\"");
            assertThat(r.body()).doesNotContain(token);
        });
        assertThat(gw.as(expired).get("/api/v1/machines").json().get("detail").asText()).contains("expired");
        assertThat(gw.as(noSubject).get("/api/v1/machines").json().get("detail").asText()).contains("no subject");
    }

    @Test
    void apiTokensKeepWorkingBesideOidc() {
        assertThat(gw.token()).startsWith(ApiTokens.PREFIX);
        assertThat(gw.get("/api/v1/admin/tokens").status()).isEqualTo(200);
    }
}
