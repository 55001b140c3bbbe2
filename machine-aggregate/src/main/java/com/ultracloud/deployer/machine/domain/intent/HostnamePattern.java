package com.ultracloud.deployer.machine.domain.intent;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule's {@code hostnamePattern}: {@code {index}} is the slot number, {@code {index:0N}} the slot
 * number zero-padded to N digits ({@code wk-{index:02}} → {@code wk-01}; an index wider than N is
 * written in full, {@code wk-100}). Slots start at the rule's {@code firstIndex} (default 1).
 */
public final class HostnamePattern {

    public static final String INDEX = "{index}";
    public static final int DEFAULT_FIRST_INDEX = 1;

    /** The placeholders a pattern may contain; anything else in braces is an error. */
    static final Pattern INDEX_PLACEHOLDER = Pattern.compile("\\{index(?::0([1-9]))?}");

    private HostnamePattern() {
    }

    /** {@code firstIndex} of a rule, with its default. */
    public static int firstIndex(Integer firstIndex) {
        return firstIndex == null ? DEFAULT_FIRST_INDEX : firstIndex;
    }

    public static String render(String pattern, int index) {
        Matcher m = INDEX_PLACEHOLDER.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int width = m.group(1) == null ? 1 : Integer.parseInt(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(pad(index, width)));
        }
        m.appendTail(out);
        return out.toString();
    }

    public static boolean hasIndex(String pattern) {
        return INDEX_PLACEHOLDER.matcher(pattern).find();
    }

    /**
     * The index from which {@code pattern} renders exactly {@code hostname} (an index of at least
     * {@code firstIndex}, written as the pattern writes it: {@code wk-1} is not {@code wk-{index:02}}'s).
     */
    public static Optional<Integer> indexOf(String pattern, int firstIndex, String hostname) {
        if (hostname == null || !hasIndex(pattern)) {
            return Optional.empty();
        }
        StringBuilder re = new StringBuilder();
        Matcher m = INDEX_PLACEHOLDER.matcher(pattern);
        int last = 0;
        boolean first = true;
        while (m.find()) {
            re.append(Pattern.quote(pattern.substring(last, m.start())));
            re.append(first ? "([0-9]{1,9})" : "\\1"); // every placeholder carries the same index
            first = false;
            last = m.end();
        }
        re.append(Pattern.quote(pattern.substring(last)));
        Matcher h = Pattern.compile(re.toString()).matcher(hostname);
        if (!h.matches()) {
            return Optional.empty();
        }
        int index = Integer.parseInt(h.group(1));
        return index >= firstIndex && render(pattern, index).equals(hostname) ? Optional.of(index) : Optional.empty();
    }

    /** Does {@code hostname} come from {@code pattern} (with an index of at least {@code firstIndex})? */
    public static boolean produces(String pattern, int firstIndex, String hostname) {
        return indexOf(pattern, firstIndex, hostname).isPresent();
    }

    private static String pad(int index, int width) {
        String digits = Integer.toString(index);
        return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
    }
}
