package com.ultracloud.deployer.gateway.config;

import com.ultracloud.deployer.gateway.problem.ProblemErrorReportValve;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tomcat's own error answers (requests refused before Spring) as problem+json. TRACE is let through
 * the connector so that RequestGuardFilter refuses it with a problem (Tomcat's own refusal has no
 * body); the filter answers it before any servlet could echo it.
 */
@Configuration(proxyBeanMethods = false)
class WebServerConfig {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorValve() {
        return factory -> {
            factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                }
            });
            factory.addConnectorCustomizers(connector -> connector.setAllowTrace(true));
        };
    }
}
