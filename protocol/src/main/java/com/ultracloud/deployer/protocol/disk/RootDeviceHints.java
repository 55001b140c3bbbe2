package com.ultracloud.deployer.protocol.disk;

import com.ultracloud.deployer.protocol.disk.RootDeviceHint.Comparison;
import com.ultracloud.deployer.protocol.disk.RootDeviceHint.TextOperator;
import com.ultracloud.deployer.protocol.disk.RootDeviceHintException.Problem;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Parsed, validated root-device hints (DESIGN §4 {@code diskPolicies}), with OpenStack Ironic's
 * semantics ({@code parse_root_device_hints}):
 * <ul>
 *   <li>{@code size}: a positive whole number of GiB, bare ({@code 500}, meaning {@code == 500}) or
 *       with one of {@code ==, !=, >=, <=, >, <} ({@code ">= 500"}, {@code ">=500"}); a JSON integer is
 *       taken as {@code ==}.</li>
 *   <li>{@code name, model, vendor, serial, wwn, wwn_with_extension, wwn_vendor_extension, hctl,
 *       by_path}: strings, bare (meaning {@code s==}) or with {@code s==}, {@code s!=}, {@code <in>}
 *       (substring) or {@code <or> a <or> b} (any of); comparison is case-insensitive and ignores
 *       leading/trailing blanks.</li>
 *   <li>{@code rotational}: a JSON boolean or one of {@code true/false, yes/no, on/off, 1/0, t/f, y/n}
 *       (case-insensitive), or the integers 1 and 0.</li>
 * </ul>
 * Anything else is an error, never a guess: unknown hint names, operators a hint does not take
 * (including specs-matcher operators outside this list, such as {@code s>=}, {@code <all-in>}, and
 * the legacy {@code =} on size, which Ironic reads as {@code >=}: see {@link #legacySizeOperator}), {@code <or>} anywhere but first, empty values, a size that is 0, negative, not
 * a whole number, and a rotational value that is not a boolean. {@link #parse} reports all of them
 * at once in a {@link RootDeviceHintException}.
 */
public final class RootDeviceHints {

    public static final String NAME = "name";
    public static final String SIZE = "size";
    public static final String MODEL = "model";
    public static final String VENDOR = "vendor";
    public static final String SERIAL = "serial";
    public static final String WWN = "wwn";
    public static final String WWN_WITH_EXTENSION = "wwn_with_extension";
    public static final String WWN_VENDOR_EXTENSION = "wwn_vendor_extension";
    public static final String HCTL = "hctl";
    public static final String BY_PATH = "by_path";
    public static final String ROTATIONAL = "rotational";

    /** Every valid hint name, in the order hints are evaluated and listed. */
    public static final List<String> VALID_NAMES = List.of(NAME, SIZE, MODEL, VENDOR, SERIAL, WWN,
            WWN_WITH_EXTENSION, WWN_VENDOR_EXTENSION, HCTL, BY_PATH, ROTATIONAL);

    private static final Set<String> TRUE_WORDS = Set.of("true", "t", "yes", "y", "on", "1");
    private static final Set<String> FALSE_WORDS = Set.of("false", "f", "no", "n", "off", "0");

    /**
     * An operator at the start of an expression: Ironic's (oslo specs-matcher) operators, plus any
     * {@code <word>} so that unknown ones are reported rather than taken for part of a value.
     */
    private static final Pattern LEADING_OPERATOR = Pattern.compile(
            "^(<[a-z][a-z-]*>|s(?:==|!=|<=|>=|<|>)|==|!=|>=|<=|=|>|<)\\s*(.*)$",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern ANGLE_OPERATOR = Pattern.compile("<[a-z][a-z-]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern OR_SEPARATOR = Pattern.compile("\\s*<or>\\s*", Pattern.CASE_INSENSITIVE);

    private static final RootDeviceHints NONE = new RootDeviceHints(List.of());

    private final List<RootDeviceHint> hints;

    private RootDeviceHints(List<RootDeviceHint> hints) {
        this.hints = List.copyOf(hints);
    }

    /** No hints: the resolver then falls back to its default choice (see {@link RootDeviceResolver}). */
    public static RootDeviceHints none() {
        return NONE;
    }

    /**
     * Parses hints as they come from JSON (values are strings, numbers or booleans).
     *
     * @param raw hint name → expression; {@code null} or empty means no hints
     * @throws RootDeviceHintException listing every invalid hint, each with its name
     */
    public static RootDeviceHints parse(Map<String, ?> raw) {
        if (raw == null || raw.isEmpty()) {
            return NONE;
        }
        List<Problem> problems = new ArrayList<>();
        List<RootDeviceHint> parsed = new ArrayList<>();
        for (Map.Entry<String, ?> entry : raw.entrySet()) {
            String name = entry.getKey();
            Object value = entry.getValue();
            if (name == null || !VALID_NAMES.contains(name)) {
                problems.add(new Problem(String.valueOf(name),
                        "unknown hint; valid hints are " + String.join(", ", VALID_NAMES)));
                continue;
            }
            if (value == null) {
                problems.add(new Problem(name, "has no value"));
                continue;
            }
            try {
                parsed.add(switch (name) {
                    case SIZE -> parseSize(value);
                    case ROTATIONAL -> parseRotational(value);
                    default -> parseText(name, value);
                });
            } catch (InvalidHint e) {
                problems.add(new Problem(name, e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new RootDeviceHintException(problems);
        }
        parsed.sort(Comparator.comparingInt(h -> VALID_NAMES.indexOf(h.name())));
        return new RootDeviceHints(parsed);
    }

    /** Hints built in code rather than parsed; at most one per name. */
    public static RootDeviceHints of(RootDeviceHint... hints) {
        List<RootDeviceHint> list = new ArrayList<>(Arrays.asList(hints));
        Set<String> names = list.stream().map(RootDeviceHint::name).collect(Collectors.toSet());
        if (names.size() != list.size()) {
            throw new IllegalArgumentException("at most one hint per name: " + list);
        }
        list.sort(Comparator.comparingInt(h -> VALID_NAMES.indexOf(h.name())));
        return new RootDeviceHints(list);
    }

    public boolean isEmpty() {
        return hints.isEmpty();
    }

    /** The hints in {@link #VALID_NAMES} order. */
    public List<RootDeviceHint> hints() {
        return hints;
    }

    public Optional<RootDeviceHint> hint(String name) {
        return hints.stream().filter(h -> h.name().equals(name)).findFirst();
    }

    /** Hint name → normalised expression with its operator made explicit, e.g. {@code size → ">= 500"}. */
    public Map<String, String> expressions() {
        Map<String, String> out = new LinkedHashMap<>();
        hints.forEach(h -> out.put(h.name(), h.expression()));
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RootDeviceHints other && other.hints.equals(hints);
    }

    @Override
    public int hashCode() {
        return hints.hashCode();
    }

    @Override
    public String toString() {
        return hints.isEmpty() ? "(no hints)"
                : hints.stream().map(h -> h.name() + " " + h.expression()).collect(Collectors.joining(", "));
    }

    private static RootDeviceHint parseSize(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger) {
            return new RootDeviceHint.Size(Comparison.EQUAL, positiveGib(value.toString(), value));
        }
        if (!(value instanceof String text)) {
            throw new InvalidHint("must be a whole number of GiB, optionally with one of ==, !=, >=, <=, >, <; got "
                    + describe(value));
        }
        String expression = text.trim();
        if (expression.isEmpty()) {
            throw new InvalidHint("is empty");
        }
        Matcher m = LEADING_OPERATOR.matcher(expression);
        Comparison comparison = Comparison.EQUAL;
        String number = expression;
        if (m.matches()) {
            String symbol = m.group(1);
            if (symbol.equals("=")) {
                throw new InvalidHint(legacySizeOperator(m.group(2).trim()));
            }
            comparison = Comparison.ofSymbol(symbol).orElseThrow(() -> new InvalidHint("operator '" + symbol
                    + "' is not valid for size; use ==, !=, >=, <=, > or <"));
            number = m.group(2).trim();
            if (number.isEmpty()) {
                throw new InvalidHint("operator '" + symbol + "' has no value");
            }
        }
        return new RootDeviceHint.Size(comparison, positiveGib(number, value));
    }

    /**
     * Why {@code "= N"} is refused on size, and what to write instead. Ironic (oslo's specs matcher)
     * reads the legacy {@code =} as "at least", while {@code ==} and a bare number mean "exactly": the
     * same-looking text must not pick a different disk here than an operator expects from Ironic.
     */
    public static String legacySizeOperator(String number) {
        String n = number == null || number.isBlank() ? "N" : number.trim();
        return "operator '=' is not valid for size: Ironic reads '= " + n + "' as '>= " + n + "'; write '>= " + n
                + "' for at least " + n + " GiB or '== " + n + "' (or " + n + ") for exactly " + n + " GiB";
    }

    private static long positiveGib(String number, Object original) {
        long gib;
        try {
            gib = Long.parseLong(number);
        } catch (NumberFormatException e) {
            throw new InvalidHint("'" + number + "' is not a whole number of GiB (in " + describe(original) + ")");
        }
        if (gib <= 0) {
            throw new InvalidHint("must be a positive whole number of GiB; got " + describe(original));
        }
        return gib;
    }

    private static RootDeviceHint parseRotational(Object value) {
        if (value instanceof Boolean b) {
            return new RootDeviceHint.Rotational(b);
        }
        String word = (value instanceof String || value instanceof Integer || value instanceof Long)
                ? value.toString().trim().toLowerCase(Locale.ROOT) : null;
        if (word != null && TRUE_WORDS.contains(word)) {
            return new RootDeviceHint.Rotational(true);
        }
        if (word != null && FALSE_WORDS.contains(word)) {
            return new RootDeviceHint.Rotational(false);
        }
        throw new InvalidHint(describe(value) + " is not a boolean; use true/false, yes/no, on/off or 1/0");
    }

    private static RootDeviceHint parseText(String name, Object value) {
        if (!(value instanceof String text)) {
            throw new InvalidHint("must be a string; got " + describe(value));
        }
        String expression = text.trim();
        if (expression.isEmpty()) {
            throw new InvalidHint("is empty");
        }
        Matcher m = LEADING_OPERATOR.matcher(expression);
        TextOperator operator = TextOperator.EQUALS;
        String rest = expression;
        if (m.matches()) {
            String symbol = m.group(1);
            operator = TextOperator.ofSymbol(symbol).orElseThrow(() -> new InvalidHint("operator '" + symbol
                    + "' is not valid for a string hint; use s==, s!=, <in> or <or>"));
            rest = m.group(2).trim();
            if (rest.isEmpty()) {
                throw new InvalidHint("operator '" + operator.symbol() + "' has no value");
            }
        }
        List<String> values;
        if (operator == TextOperator.ANY_OF) {
            values = Arrays.stream(OR_SEPARATOR.split(rest, -1)).map(String::trim).toList();
            if (values.stream().anyMatch(String::isEmpty)) {
                throw new InvalidHint("'" + expression + "' has an empty <or> alternative");
            }
        } else {
            values = List.of(rest);
        }
        for (String v : values) {
            Matcher inner = ANGLE_OPERATOR.matcher(v);
            if (inner.find()) {
                String op = inner.group().toLowerCase(Locale.ROOT);
                throw new InvalidHint("operator '" + op + "' inside the value '" + expression + "'"
                        + (op.equals("<or>") ? "; write alternatives as '<or> a <or> b', with <or> first"
                        : "; an expression takes one operator, at its start"));
            }
        }
        if (operator != TextOperator.CONTAINS && (name.equals(NAME) || name.equals(BY_PATH))) {
            values = values.stream()
                    .map(v -> name.equals(NAME) ? RootDeviceHint.devicePath(v) : RootDeviceHint.byPathPath(v))
                    .toList();
        }
        return new RootDeviceHint.Text(name, operator, values);
    }

    private static String describe(Object value) {
        return value instanceof String s ? "'" + s + "'"
                : value.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " " + value;
    }

    /** A problem with one hint's value; becomes a {@link Problem} with the hint's name. */
    private static final class InvalidHint extends RuntimeException {
        InvalidHint(String message) {
            super(message, null, false, false);
        }
    }
}
