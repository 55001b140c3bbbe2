package com.ultracloud.deployer.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway jar's {@code token} command as an operator runs it: a token created while no gateway
 * runs opens the API of the gateway started afterwards (security on); a gateway holding the embedded
 * database is named as the reason the command cannot work, instead of a stack trace.
 */
class TokenCommandIT {

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    private Run jar(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(GatewayProcess.javaBin(), "-jar", GatewayProcess.GATEWAY_JAR.toString()));
        cmd.addAll(List.of(args));
        cmd.add("--deployer.data-dir=" + tmp.resolve("data"));
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("token command finished").isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void aTokenCreatedWithTheGatewayStoppedOpensItsApi() throws Exception {
        Run created = jar("token", "create", "--name", "ci", "--role", "operator", "--expires", "30d");
        assertThat(created.exit()).as(created.toString()).isZero();
        assertThat(created.out()).matches("ucd_[A-Za-z0-9_-]{43}\\n");
        String token = created.out().strip();

        HttpClient http = HttpClient.newHttpClient();
        try (GatewayProcess gateway = GatewayProcess.start(GatewayProcess.freePort(), tmp.resolve("data"),
                "--deployer.security.enabled=true")) {
            HttpResponse<String> withToken = http.send(HttpRequest.newBuilder(gateway.uri("/api/v1/machines"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(200);
            HttpResponse<String> without = http.send(HttpRequest.newBuilder(gateway.uri("/api/v1/machines")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(without.statusCode()).isEqualTo(401);
            assertThat(tmp.resolve("data/admin-token")).as("a token existed: no first-start token").doesNotExist();

            Run busy = jar("token", "list");
            assertThat(busy.exit()).isEqualTo(1);
            assertThat(busy.err()).contains("cannot use the deployer's database")
                    .contains("stop it, or use POST /api/v1/admin/tokens").doesNotContain("\tat ");
            assertThat(Files.readString(gateway.log(), StandardCharsets.UTF_8)).doesNotContain(token);
        }
        Run revoked = jar("token", "revoke", "ci");
        assertThat(revoked.exit()).as(revoked.toString()).isZero();
        assertThat(jar("token", "list").out()).containsPattern("ci\\s+operator\\s+revoked");
    }
}
