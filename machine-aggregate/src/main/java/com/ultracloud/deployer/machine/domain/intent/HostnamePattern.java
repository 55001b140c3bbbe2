package com.ultracloud.deployer.machine.domain.intent;

import java.util.regex.Pattern;

/** A rule's {@code hostnamePattern}: {@code {index}} is the 1-based slot number. */
public final class HostnamePattern {

    public static final String INDEX = "{index}";

    private HostnamePattern() {
    }

    public static String render(String pattern, int index) {
        return pattern.replace(INDEX, Integer.toString(index));
    }

    public static boolean hasIndex(String pattern) {
        return pattern.contains(INDEX);
    }

    /** Does {@code hostname} come from {@code pattern} (with any index ≥ 1)? */
    public static boolean produces(String pattern, String hostname) {
        if (hostname == null) {
            return false;
        }
        String[] parts = pattern.split(Pattern.quote(INDEX), -1);
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                re.append("[1-9][0-9]*");
            }
            re.append(Pattern.quote(parts[i]));
        }
        return hostname.matches(re.toString());
    }
}
