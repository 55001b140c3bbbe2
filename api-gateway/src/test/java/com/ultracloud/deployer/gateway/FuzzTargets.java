package com.ultracloud.deployer.gateway;

import org.springframework.context.ApplicationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every endpoint the running application maps — its controllers, /error, the actuator's and the
 * OpenAPI endpoints — read from Spring's handler mappings, not from a hand-kept list, so an endpoint
 * added later is fuzzed without anyone remembering to.
 */
final class FuzzTargets {

    private FuzzTargets() {
    }

    /**
     * @param methods the mapped methods (empty: any)
     * @param params  the declared query parameters
     * @param body    whether a handler takes a request body
     */
    record Target(String pattern, Set<String> methods, Set<String> params, boolean body) {
    }

    static List<Target> of(ApplicationContext context) {
        Map<String, Target> byPattern = new TreeMap<>();
        for (RequestMappingInfoHandlerMapping mapping : context.getBeansOfType(RequestMappingInfoHandlerMapping.class).values()) {
            for (Map.Entry<RequestMappingInfo, HandlerMethod> e : mapping.getHandlerMethods().entrySet()) {
                Set<String> methods = new TreeSet<>();
                e.getKey().getMethodsCondition().getMethods().forEach(m -> methods.add(m.name()));
                Set<String> params = new TreeSet<>();
                boolean body = false;
                for (MethodParameter p : e.getValue().getMethodParameters()) {
                    RequestParam param = p.getParameterAnnotation(RequestParam.class);
                    if (param != null) {
                        p.initParameterNameDiscovery(new DefaultParameterNameDiscoverer());
                        String name = !param.name().isEmpty() ? param.name() : !param.value().isEmpty() ? param.value()
                                : p.getParameterName();
                        if (name != null) {
                            params.add(name);
                        }
                    }
                    body |= p.hasParameterAnnotation(RequestBody.class);
                }
                for (String pattern : e.getKey().getPatternValues()) {
                    boolean anyBody = body;
                    byPattern.merge(pattern, new Target(pattern, methods, params, body), (a, b) -> merge(a, b, anyBody));
                }
            }
        }
        List<Target> all = new ArrayList<>(byPattern.values());
        all.sort(Comparator.comparing(Target::pattern));
        return all;
    }

    /** Several handlers on one pattern (GET and PUT of the intent): one target with all their methods. */
    private static Target merge(Target a, Target b, boolean body) {
        Set<String> methods = new TreeSet<>(a.methods());
        methods.addAll(b.methods());
        if (a.methods().isEmpty() || b.methods().isEmpty()) {
            methods.clear();
        }
        Set<String> params = new TreeSet<>(a.params());
        params.addAll(b.params());
        return new Target(a.pattern(), methods, params, a.body() || body);
    }

    static final List<String> ALL_METHODS = List.of(RequestMethod.GET.name(), "HEAD", "POST", "PUT", "DELETE",
            "PATCH", "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "FOO", "get");
}
