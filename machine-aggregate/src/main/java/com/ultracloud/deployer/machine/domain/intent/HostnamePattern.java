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

    /** Where {@link Slot#stem()} has the digits it was split at. */
    public static final String SLOT = "{#}";
    private static final Pattern LAST_DIGITS = Pattern.compile("([0-9]+)([^0-9]*)$");

    /**
     * A hostname split at its last run of digits: {@code wk-007.lab} → stem {@code wk-{#}.lab}, index 7,
     * padding 3 (the run's length when it starts with a zero, else 0). Lets a database index hostnames
     * by (stem, index), so that "the lowest free index of a pattern" is one indexed query.
     */
    public record Slot(String stem, long index, int padding) {

        /** Is this the hostname that a pattern of {@code width} (see {@link #width(String)}) renders for its index? */
        public boolean renderedWithWidth(int width) {
            return padding == (index < threshold(width) ? width : 0) || (width == 1 && padding == 0);
        }

        /** The smallest index a pattern of {@code width} writes without padding. */
        public static long threshold(int width) {
            long t = 1;
            for (int i = 1; i < width; i++) {
                t *= 10;
            }
            return t;
        }
    }

    /** {@link Slot} of a hostname; empty without digits or with more than 9 in its last run. */
    public static Optional<Slot> slotOf(String hostname) {
        if (hostname == null) {
            return Optional.empty();
        }
        Matcher m = LAST_DIGITS.matcher(hostname);
        if (!m.find() || m.group(1).length() > 9) {
            return Optional.empty();
        }
        String digits = m.group(1);
        int padding = digits.length() > 1 && digits.charAt(0) == '0' ? digits.length() : 0;
        return Optional.of(new Slot(hostname.substring(0, m.start()) + SLOT + m.group(2), Long.parseLong(digits), padding));
    }

    /**
     * The stem of every hostname the pattern renders, when its index is always those hostnames' last
     * run of digits: one placeholder, no digit after it and none right before it ({@code wk-{index:02}},
     * {@code rack-a-n{index}.lab}). Empty otherwise ({@code n1{index}}, {@code {index}-r2}).
     */
    public static Optional<String> stemOf(String pattern) {
        Matcher m = INDEX_PLACEHOLDER.matcher(pattern);
        if (!m.find()) {
            return Optional.empty();
        }
        String before = pattern.substring(0, m.start());
        String after = pattern.substring(m.end());
        if (m.find() || after.chars().anyMatch(Character::isDigit)
                || (!before.isEmpty() && Character.isDigit(before.charAt(before.length() - 1)))) {
            return Optional.empty();
        }
        return Optional.of(before + SLOT + after);
    }

    /** The zero-padded width of the pattern's index ({@code {index:03}} → 3; {@code {index}} → 1). */
    public static int width(String pattern) {
        Matcher m = INDEX_PLACEHOLDER.matcher(pattern);
        return m.find() && m.group(1) != null ? Integer.parseInt(m.group(1)) : 1;
    }

    private static String pad(int index, int width) {
        String digits = Integer.toString(index);
        return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
    }
}
