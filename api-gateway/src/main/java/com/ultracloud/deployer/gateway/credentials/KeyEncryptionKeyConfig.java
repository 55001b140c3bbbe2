package com.ultracloud.deployer.gateway.credentials;

import com.ultracloud.deployer.gateway.config.DeployerProperties;
import com.ultracloud.deployer.gateway.config.OwnerOnlyFile;
import com.ultracloud.deployer.machine.domain.credentials.KeySealer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;

/**
 * The key-encryption key: {@code deployer.credentials.kek} (base64, 32 bytes) when configured — the
 * production way; otherwise the file {@code <deployer.data-dir>/kek}, generated on first start with
 * permissions 0600, and a warning in the log. The key itself is never logged, only its public id.
 */
@Configuration(proxyBeanMethods = false)
class KeyEncryptionKeyConfig {

    private static final Logger log = LoggerFactory.getLogger(KeyEncryptionKeyConfig.class);
    static final String KEK_FILE = "kek";

    /** The wall clock credentials are issued and tokens checked against (a bean, so tests may replace it). */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean
    java.time.Clock clock() {
        return java.time.Clock.systemUTC();
    }

    @Bean
    KeySealer keySealer(DeployerProperties properties) {
        String configured = properties.credentials().kek();
        if (configured != null && !configured.isBlank()) {
            KeySealer sealer = KeySealer.fromBase64(configured);
            log.info("key-encryption key from configuration (kek id {})", sealer.kekId());
            return sealer;
        }
        Path file = properties.dataDir().resolve(KEK_FILE).toAbsolutePath();
        KeySealer sealer = KeySealer.fromBase64(OwnerOnlyFile.readOrCreate(file, KeySealer::generateKek));
        log.warn("no deployer.credentials.kek configured: sealing secrets with the generated key-encryption key in {} "
                + "(kek id {}); whoever can read that file can open every sealed key — configure "
                + "deployer.credentials.kek in production", file, sealer.kekId());
        return sealer;
    }
}
