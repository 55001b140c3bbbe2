package com.ultracloud.deployer.gateway.machine;

import com.ultracloud.deployer.gateway.credentials.JoinSecret;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Discover without this cluster's join secret is refused (401) before its body is even read, so nothing
 * about the caller's claims is parsed, validated or recorded.
 */
@Configuration(proxyBeanMethods = false)
class JoinSecretInterceptor implements HandlerInterceptor, WebMvcConfigurer {

    private final JoinSecret joinSecret;

    JoinSecretInterceptor(JoinSecret joinSecret) {
        this.joinSecret = joinSecret;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        joinSecret.check(request.getHeader(JoinSecret.HEADER));
        return true;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/v1/bootstrap/discover");
    }
}
