package com.ultracloud.deployer.gateway.problem;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The request is well-formed but cannot be carried out in the current situation (409), e.g. a
 * commission without a matching enrollment rule. {@code properties} are added to the problem.
 */
public class ConflictException extends RuntimeException {

    private final String slug;
    private final Map<String, Object> properties;

    public ConflictException(String slug, String detail, Map<String, Object> properties) {
        super(detail);
        this.slug = slug;
        this.properties = new LinkedHashMap<>(properties);
    }

    public String slug() {
        return slug;
    }

    public Map<String, Object> properties() {
        return properties;
    }
}
