package com.ultracloud.deployer.gateway.credentials;

import com.ultracloud.deployer.gateway.config.DeployerProperties;
import com.ultracloud.deployer.gateway.config.DeployerProperties.JoinPolicy;
import com.ultracloud.deployer.gateway.problem.UnauthorizedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JoinSecretTest {

    @TempDir
    Path dataDir;

    private DeployerProperties properties(String secret, JoinPolicy policy, boolean security) {
        return new DeployerProperties(dataDir, null, new DeployerProperties.Bootstrap(15, null, secret, policy, null, null, null),
                null, null, null, new DeployerProperties.Security(security, null, null));
    }

    @Test
    void withoutConfigurationTheSecretIsGeneratedIntoAPrivateFileAndKeptAcrossRestarts() throws Exception {
        JoinSecret first = new JoinSecret(properties(null, null, true));
        Path file = dataDir.resolve("join-secret");
        String secret = Files.readString(file).strip();
        assertThat(secret).matches("[A-Za-z0-9_-]{43}");
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(first.required()).isTrue();
        assertThatCode(() -> first.check(secret)).doesNotThrowAnyException();
        assertThatCode(() -> first.check(" " + secret + "\n")).as("as read from a file").doesNotThrowAnyException();
        JoinSecret restarted = new JoinSecret(properties("", null, true));
        assertThatCode(() -> restarted.check(secret)).doesNotThrowAnyException();
        assertThat(Files.readString(file).strip()).isEqualTo(secret);
        assertThat(first.toString()).doesNotContain(secret);
    }

    @Test
    void aMissingOrWrongSecretIsUnauthorizedAndNeverEchoed() {
        String configured = "a-configured-join-secret-of-some-length";
        JoinSecret joinSecret = new JoinSecret(properties(configured, null, true));
        assertThatThrownBy(() -> joinSecret.check(null)).isInstanceOf(UnauthorizedException.class)
                .hasMessageContaining("X-Join-Secret");
        assertThatThrownBy(() -> joinSecret.check(configured + "x")).isInstanceOf(UnauthorizedException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(configured))
                .satisfies(e -> assertThat(((UnauthorizedException) e).challenge()).contains("X-Join-Secret"));
        assertThatThrownBy(() -> joinSecret.check(configured.substring(1))).isInstanceOf(UnauthorizedException.class);
        assertThatCode(() -> joinSecret.check(configured)).doesNotThrowAnyException();
        assertThat(dataDir.resolve("join-secret")).doesNotExist();
    }

    @Test
    void openEnrollmentAndLabModeLetEveryoneInButStillMakeTheFile() {
        JoinSecret open = new JoinSecret(properties(null, JoinPolicy.OPEN, true));
        JoinSecret lab = new JoinSecret(properties(null, null, false));
        for (JoinSecret s : new JoinSecret[]{open, lab}) {
            assertThat(s.required()).isFalse();
            assertThatCode(() -> s.check(null)).doesNotThrowAnyException();
            assertThatCode(() -> s.check("anything")).doesNotThrowAnyException();
        }
        assertThat(dataDir.resolve("join-secret")).exists();
    }

    @Test
    void aWeakOrCommandLineUnsafeSecretStopsTheStart() {
        for (String bad : new String[]{"short", "a secret with spaces in it", "x".repeat(257)}) {
            assertThatThrownBy(() -> new JoinSecret(properties(bad, null, true)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("deployer.bootstrap.join-secret")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(bad));
        }
    }
}
