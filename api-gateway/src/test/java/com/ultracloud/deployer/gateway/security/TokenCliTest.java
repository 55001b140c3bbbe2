package com.ultracloud.deployer.gateway.security;

import com.ultracloud.deployer.gateway.RunningGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar ultracloud-deployer.jar token …} on the embedded database: recovering a lost admin
 * token with the gateway stopped, and every refusal answered with an exit code and a line, not a trace.
 * (The jar itself, and a gateway holding the H2 file, are tested in e2e's {@code TokenCommandIT}.)
 */
class TokenCliTest {

    @TempDir
    Path dataDir;

    record Run(int exit, String out, String err) {
    }

    private Run token(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--deployer.data-dir=" + dataDir);
        int exit = TokenCli.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void aLostAdminTokenIsRecoveredWithTheGatewayStopped() throws IOException {
        Path log = dataDir.resolve("gateway.log");
        Path file = dataDir.resolve("admin-token");
        try (RunningGateway gw = RunningGateway.embedded(dataDir, "--logging.file.name=" + log)) {
            assertThat(gw.get("/api/v1/admin/tokens").status()).isEqualTo(200);
        }
        Files.delete(file); // lost

        Run created = token("create", "--name", "recovery", "--role", "admin", "--expires", "1d");
        assertThat(created.exit()).as(created.toString()).isZero();
        String recovered = created.out().strip();
        assertThat(recovered).matches("ucd_[A-Za-z0-9_-]{43}"); // stdout is the token alone: T=$(java -jar … token create …)
        assertThat(created.err()).contains("API token 'recovery' (admin) expires").contains("shown only this once");

        Run listed = token("list");
        assertThat(listed.exit()).isZero();
        assertThat(listed.out()).contains("initial-admin").contains("recovery").contains("cli:" + System.getProperty("user.name"))
                .doesNotContain(recovered);

        try (RunningGateway gw = RunningGateway.embedded(dataDir, "--logging.file.name=" + log)) {
            assertThat(file).as("tokens exist: no second first-start token").doesNotExist();
            assertThat(gw.token()).isNull();
            assertThat(gw.as(recovered).get("/api/v1/admin/tokens").status()).isEqualTo(200);
            assertThat(gw.anonymous().get("/api/v1/machines").status()).isEqualTo(401);
        }
        String logged = Files.readString(log);
        assertThat(logged.split("first start: an admin API token", -1)).hasSize(2);
        assertThat(logged).doesNotContain(recovered);

        Run revoked = token("revoke", "recovery");
        assertThat(revoked.exit()).isZero();
        assertThat(revoked.out()).contains("API token 'recovery' revoked at");
        assertThat(token("list").out()).containsPattern("recovery\\s+admin\\s+revoked");
    }

    @Test
    void refusalsAreALineAndAnExitCode() {
        Run badRole = token("create", "--name", "ci", "--role", "root", "--expires", "soon");
        assertThat(badRole.exit()).isEqualTo(2);
        assertThat(badRole.err()).contains("role: one of [viewer, operator, admin]").contains("expiresIn: a duration");
        assertThat(token("create", "--name", "ci", "--role", "viewer").exit()).isZero();
        Run twice = token("create", "--name", "ci", "--role", "viewer");
        assertThat(twice.exit()).isEqualTo(1);
        assertThat(twice.err()).contains("never reused");
        Run unknown = token("revoke", "nobody");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("no API token named 'nobody'");
        Run missing = token("create", "--name", "x");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("--role");
        Run help = token("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("create").contains("list").contains("revoke").contains("--deployer.data-dir");
    }
}
