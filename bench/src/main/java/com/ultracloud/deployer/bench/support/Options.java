package com.ultracloud.deployer.bench.support;

import java.util.HashMap;
import java.util.Map;

/** {@code --key=value} arguments with defaults. */
public final class Options {

    private final Map<String, String> values = new HashMap<>();

    public Options(String[] args) {
        for (String a : args) {
            if (!a.startsWith("--") || !a.contains("=")) {
                throw new IllegalArgumentException("expected --key=value, got " + a);
            }
            values.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
    }

    public int integer(String key, int fallback) {
        String v = values.get(key);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    }

    public String string(String key, String fallback) {
        String v = values.get(key);
        return v == null || v.isBlank() ? fallback : v;
    }

    public boolean flag(String key, boolean fallback) {
        String v = values.get(key);
        return v == null || v.isBlank() ? fallback : Boolean.parseBoolean(v.trim());
    }
}
