package com.ultracloud.deployer.gateway.problem;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Query parameters as the handler declares them, checked before it runs: one that takes a single
 * value but is given several ({@code ?page=1&page=2}) is refused instead of Spring taking the first
 * or joining them with commas; and no value may hold a NUL or a lone surrogate (as in bodies:
 * PostgreSQL cannot compare against a NUL).
 */
public class SingleValuedParameters implements HandlerInterceptor {

    private static final ParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true;
        }
        List<FieldError> errors = new ArrayList<>();
        for (MethodParameter parameter : method.getMethodParameters()) {
            RequestParam annotation = parameter.getParameterAnnotation(RequestParam.class);
            if (annotation == null) {
                continue;
            }
            String name = name(parameter, annotation);
            String[] values = name == null ? null : request.getParameterValues(name);
            if (values == null) {
                continue;
            }
            if (values.length > 1 && !multiValued(parameter.getParameterType())) {
                errors.add(new FieldError(name, "given " + values.length + " times; give it once"));
            }
            for (String value : values) {
                if (!StrictJson.isPlainText(value)) {
                    errors.add(new FieldError(name, "contains a NUL character or a lone UTF-16 surrogate"));
                    break;
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("invalid query parameters", errors);
        }
        return true;
    }

    private static String name(MethodParameter parameter, RequestParam annotation) {
        String given = annotation.name().isEmpty() ? annotation.value() : annotation.name();
        if (!given.isEmpty()) {
            return given;
        }
        parameter.initParameterNameDiscovery(NAMES);
        return parameter.getParameterName();
    }

    private static boolean multiValued(Class<?> type) {
        return type.isArray() || Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type);
    }
}
