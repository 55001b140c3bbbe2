package com.ultracloud.deployer.gateway.credentials;

import com.ultracloud.deployer.gateway.config.DeployerProperties;
import com.ultracloud.deployer.machine.saga.DirectiveTimeouts;
import com.ultracloud.deployer.machine.saga.InstallTimeouts;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The install and directive sagas' deadlines, from {@code deployer.install.*-timeout}; the sagas receive them as a
 * handler parameter.
 */
@Configuration(proxyBeanMethods = false)
class InstallTimeoutsConfig {

    @Bean
    InstallTimeouts installTimeouts(DeployerProperties properties) {
        return new InstallTimeouts(properties.install().pendingTimeout(), properties.install().installingTimeout());
    }

    @Bean
    DirectiveTimeouts directiveTimeouts(DeployerProperties properties) {
        return new DirectiveTimeouts(properties.install().directiveAcknowledgeTimeout(),
                properties.install().directiveBootTimeout());
    }
}
