package com.ultracloud.deployer.machine.domain.credentials;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class InstallTokensTest {

    private static NodeCredentialIssuer issuer;

    @BeforeAll
    static void cluster() {
        issuer = new NodeCredentialIssuer(ClusterCa.create("lab", TestNodes.CLOCK));
    }

    @Test
    void tokensAreLongUrlSafeAndDistinctAcrossAThousandIssues() {
        Set<String> tokens = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            InstallToken token = issuer.issue(TestNodes.node("n" + i), TestNodes.CLOCK).installToken();
            assertThat(token.value()).hasSizeGreaterThanOrEqualTo(43).matches("[A-Za-z0-9_-]+");
            tokens.add(token.value());
            hashes.add(token.hash());
        }
        assertThat(tokens).hasSize(1_000);
        assertThat(hashes).hasSize(1_000);
    }

    @Test
    void theTokenCarriesTheDefaultTwoHourExpiry() {
        InstallToken token = issuer.issue(TestNodes.gateway01(), TestNodes.CLOCK).installToken();

        assertThat(token.expiresAt()).isEqualTo(TestNodes.CLOCK.instant().plus(Duration.ofHours(2)));
        assertThat(token.isExpiredAt(TestNodes.CLOCK.instant())).isFalse();
        assertThat(token.isExpiredAt(token.expiresAt())).isTrue();
    }

    @Test
    void theHashIsTaggedHexOfSha256() throws Exception {
        String token = "dGhpcy1pcy1hLXRlc3QtdG9rZW4tb2YtNDMtY2hhcmFjdGVycw";
        String expected = "sha256:" + HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));

        assertThat(InstallTokens.hash(token)).isEqualTo(expected).hasSize(7 + 64);
    }

    @Test
    void theIssuedTokenMatchesItsHashAndAWrongTokenDoesNot() {
        InstallToken token = issuer.issue(TestNodes.gateway01(), TestNodes.CLOCK).installToken();
        String other = issuer.issue(TestNodes.gateway01(), TestNodes.CLOCK).installToken().value();

        assertThat(InstallTokens.matches(token.value(), token.hash())).isTrue();
        assertThat(InstallTokens.matches(other, token.hash())).isFalse();
        assertThat(InstallTokens.matches(token.value() + "x", token.hash())).isFalse();
        assertThat(InstallTokens.matches(token.value(), token.value())).isFalse(); // the token is not its own hash
        assertThat(InstallTokens.matches(null, token.hash())).isFalse();
        assertThat(InstallTokens.matches("", token.hash())).isFalse();
        assertThat(InstallTokens.matches(token.value(), null)).isFalse();
    }

    @Test
    void anExpiredTokenIsNotValidEvenWhenItMatches() {
        InstallToken token = issuer.issue(TestNodes.gateway01(), Duration.ofDays(1), Duration.ofMinutes(10), TestNodes.CLOCK)
                .installToken();

        assertThat(InstallTokens.isValid(token.value(), token.hash(), token.expiresAt(), TestNodes.CLOCK.instant())).isTrue();
        assertThat(InstallTokens.isValid(token.value(), token.hash(), token.expiresAt(), token.expiresAt())).isFalse();
    }
}
