package com.ultracloud.deployer.gateway.security;

import com.ultracloud.deployer.gateway.config.DeployerProperties;
import com.ultracloud.deployer.gateway.config.OwnerOnlyFile;
import com.ultracloud.deployer.gateway.problem.ConflictException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * First start (no API token in the database yet, security on): an admin token named
 * {@value #NAME} is created and written to {@code <deployer.data-dir>/admin-token}, mode 0600. Only the
 * file's path is logged (as Jenkins and Grafana do with their first password). Later starts find a
 * token and do nothing; a lost admin token is recovered with the jar's {@code token create} command.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class InitialAdminToken implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(InitialAdminToken.class);
    static final String NAME = "initial-admin";
    public static final String FILE = "admin-token";

    private final ApiTokens tokens;
    private final DeployerProperties properties;

    InitialAdminToken(ApiTokens tokens, DeployerProperties properties) {
        this.tokens = tokens;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!properties.security().enabled() || !tokens.isEmpty()) {
            return;
        }
        ApiTokens.Issued issued;
        try {
            issued = tokens.create(NAME, Role.ADMIN, properties.security().initialTokenTtl(), "system:first-start");
        } catch (ConflictException raced) {
            log.info("another gateway replica created the first admin token; it wrote it to its own data dir");
            return;
        }
        Path file = properties.dataDir().resolve(FILE).toAbsolutePath();
        try {
            // a file left from an earlier database holds a token that opens nothing here: replace it
            Files.deleteIfExists(file);
            OwnerOnlyFile.create(file, issued.secret() + "\n");
        } catch (IOException e) {
            tokens.forget(NAME); // never handed out: the next start tries again
            throw new UncheckedIOException("cannot write the first admin token to " + file, e);
        }
        log.warn("first start: an admin API token '{}' (expires {}) was written to {}, readable only by this user. "
                        + "Send it as 'Authorization: Bearer <contents>', create named tokens (POST /api/v1/admin/tokens), "
                        + "then revoke '{}' and delete the file (docs/security.md)",
                NAME, issued.token().expiresAt(), file, NAME);
    }
}
