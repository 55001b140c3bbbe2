package com.ultracloud.deployer.gateway.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;

/** Settings under {@code deployer.*} (see application.yml for what each means). */
@ConfigurationProperties("deployer")
public record DeployerProperties(Path dataDir, Install install, Bootstrap bootstrap, Api api) {

    public record Install(int attemptLimit) {
    }

    public record Bootstrap(int pollAfterSeconds) {
    }

    public record Api(long maxBodyBytes) {
    }
}
