package com.ultracloud.deployer.gateway.agent;

import com.ultracloud.deployer.gateway.config.DeployerProperties;
import com.ultracloud.deployer.gateway.credentials.ClusterCaStore;
import com.ultracloud.deployer.gateway.enrollment.ClusterIntents;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

import java.time.Clock;

/** The machine-facing HTTPS connector next to the plain one. */
@Configuration(proxyBeanMethods = false)
class MachineTlsConfig {

    @Bean
    MachineTlsEndpoint machineTlsEndpoint(DeployerProperties properties, @Lazy ClusterCaStore ca,
                                          @Lazy ClusterIntents intents, Clock clock) {
        // lazy: the web server is made before the database and the event store; the certificate is put in later
        return new MachineTlsEndpoint(properties, ca, intents, clock);
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> machineTlsConnector(MachineTlsEndpoint endpoint) {
        return factory -> factory.addAdditionalTomcatConnectors(endpoint.connector());
    }
}
