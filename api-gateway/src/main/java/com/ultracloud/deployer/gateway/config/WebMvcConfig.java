package com.ultracloud.deployer.gateway.config;

import com.ultracloud.deployer.gateway.problem.SingleValuedParameters;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.http.converter.json.AbstractJackson2HttpMessageConverter;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.List;

/**
 * Bodies are JSON (DESIGN §8): Jackson's other formats that happen to be on the class path (YAML,
 * through springdoc) neither read a request nor answer one — a YAML body would skip the JSON checks.
 * Query parameters are checked against what each handler declares ({@link SingleValuedParameters}).
 */
@Configuration(proxyBeanMethods = false)
class WebMvcConfig implements WebMvcConfigurer {

    @Override
    public void extendMessageConverters(List<HttpMessageConverter<?>> converters) {
        converters.removeIf(c -> c instanceof AbstractJackson2HttpMessageConverter
                && !(c instanceof MappingJackson2HttpMessageConverter));
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new SingleValuedParameters());
    }
}
