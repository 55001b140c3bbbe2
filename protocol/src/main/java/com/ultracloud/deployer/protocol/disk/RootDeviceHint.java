package com.ultracloud.deployer.protocol.disk;

import com.ultracloud.deployer.protocol.MachineInventory.Disk;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One validated root-device hint. Build them with {@link RootDeviceHints#parse}; each hint can tell
 * whether a reported disk satisfies it and, when not, why.
 */
public sealed interface RootDeviceHint permits RootDeviceHint.Size, RootDeviceHint.Text, RootDeviceHint.Rotational {

    long BYTES_PER_GIB = 1L << 30;

    /** The hint's name as in DESIGN §4, e.g. {@code size}, {@code wwn_with_extension}. */
    String name();

    /** The normalised expression with its operator made explicit, e.g. {@code ">= 500"}, {@code "s== INTEL"}. */
    String expression();

    /** Empty when {@code disk} satisfies this hint, otherwise why not, e.g. "size 447.1 GiB does not satisfy >= 1000". */
    Optional<String> unmetBy(Disk disk);

    /** Numeric operators of the {@code size} hint. */
    enum Comparison {
        EQUAL("=="), NOT_EQUAL("!="), AT_LEAST(">="), AT_MOST("<="), GREATER(">"), LESS("<");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        static Optional<Comparison> ofSymbol(String symbol) {
            for (Comparison c : values()) {
                if (c.symbol.equals(symbol)) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        }

        boolean holds(double left, long right) {
            return switch (this) {
                case EQUAL -> left == right;
                case NOT_EQUAL -> left != right;
                case AT_LEAST -> left >= right;
                case AT_MOST -> left <= right;
                case GREATER -> left > right;
                case LESS -> left < right;
            };
        }
    }

    /** Operators of the string hints; all compare case-insensitively. */
    enum TextOperator {
        /** {@code s==}, also what a bare value means. */
        EQUALS("s=="),
        /** {@code s!=}. */
        NOT_EQUALS("s!="),
        /** {@code <in>}: the hint value is a substring of the disk's value. */
        CONTAINS("<in>"),
        /** {@code <or> a <or> b}: the disk's value equals any of the alternatives. */
        ANY_OF("<or>");

        private final String symbol;

        TextOperator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        static Optional<TextOperator> ofSymbol(String symbol) {
            for (TextOperator o : values()) {
                if (o.symbol.equalsIgnoreCase(symbol)) {
                    return Optional.of(o);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * {@code size}: whole GiB, compared with the disk's exact size in GiB ({@code bytes / 2^30} as a
     * real number, never rounded), as Ironic does.
     */
    record Size(Comparison comparison, long gib) implements RootDeviceHint {

        public Size {
            Objects.requireNonNull(comparison, "comparison");
            if (gib <= 0) {
                throw new IllegalArgumentException("size must be a positive number of GiB: " + gib);
            }
        }

        @Override
        public String name() {
            return RootDeviceHints.SIZE;
        }

        @Override
        public String expression() {
            return comparison.symbol() + " " + gib;
        }

        @Override
        public Optional<String> unmetBy(Disk disk) {
            if (disk.sizeBytes() == null) {
                return Optional.of("size not reported, cannot satisfy " + expression());
            }
            double diskGib = (double) disk.sizeBytes() / BYTES_PER_GIB;
            return comparison.holds(diskGib, gib) ? Optional.empty()
                    : Optional.of("size " + formatGib(disk.sizeBytes()) + " does not satisfy " + expression());
        }
    }

    /**
     * A string hint ({@code name, model, vendor, serial, wwn, wwn_with_extension, wwn_vendor_extension,
     * hctl, by_path}). Values keep the operator's spelling for display and compare case-insensitively.
     * For {@code name} the disk's kernel name, every by-id link and its by-path link are all candidates;
     * {@code name} and {@code by_path} values are completed to full paths ({@code sda} → {@code /dev/sda},
     * {@code pci-…} → {@code /dev/disk/by-path/pci-…}) except for {@code <in>}, which is a plain substring.
     */
    record Text(String name, TextOperator operator, List<String> values) implements RootDeviceHint {

        public Text {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(operator, "operator");
            values = List.copyOf(values);
            if (values.isEmpty() || (operator != TextOperator.ANY_OF && values.size() != 1)) {
                throw new IllegalArgumentException(operator.symbol() + " takes "
                        + (operator == TextOperator.ANY_OF ? "at least one value" : "exactly one value"));
            }
        }

        @Override
        public String expression() {
            if (operator == TextOperator.ANY_OF) {
                return values.stream().map(v -> "<or> " + v).collect(Collectors.joining(" "));
            }
            return operator.symbol() + " " + values.get(0);
        }

        @Override
        public Optional<String> unmetBy(Disk disk) {
            List<String> candidates = candidates(disk);
            if (candidates.isEmpty()) {
                return Optional.of(name + " not reported, cannot satisfy " + quotedExpression());
            }
            List<String> lowered = candidates.stream().map(Text::lower).toList();
            List<String> wanted = values.stream().map(Text::lower).toList();
            boolean satisfied = switch (operator) {
                case EQUALS, ANY_OF -> lowered.stream().anyMatch(wanted::contains);
                case NOT_EQUALS -> lowered.stream().noneMatch(wanted::contains);
                case CONTAINS -> lowered.stream().anyMatch(c -> c.contains(wanted.get(0)));
            };
            if (satisfied) {
                return Optional.empty();
            }
            String shown = "'" + candidates.get(0) + "'"
                    + (candidates.size() > 1 ? " (nor any of its /dev/disk links)" : "");
            return Optional.of(name + " " + shown + " does not satisfy " + quotedExpression());
        }

        private String quotedExpression() {
            if (operator == TextOperator.ANY_OF) {
                return values.stream().map(v -> "<or> '" + v + "'").collect(Collectors.joining(" "));
            }
            return operator.symbol() + " '" + values.get(0) + "'";
        }

        private List<String> candidates(Disk disk) {
            List<String> out = new ArrayList<>();
            switch (name) {
                case RootDeviceHints.NAME -> {
                    addIfPresent(out, devicePath(disk.name()));
                    disk.byId().forEach(link -> addIfPresent(out, byIdPath(link)));
                    addIfPresent(out, byPathPath(disk.byPath()));
                }
                case RootDeviceHints.BY_PATH -> addIfPresent(out, byPathPath(disk.byPath()));
                case RootDeviceHints.MODEL -> addIfPresent(out, disk.model());
                case RootDeviceHints.VENDOR -> addIfPresent(out, disk.vendor());
                case RootDeviceHints.SERIAL -> addIfPresent(out, disk.serial());
                case RootDeviceHints.WWN -> addIfPresent(out, disk.wwn());
                case RootDeviceHints.WWN_WITH_EXTENSION -> addIfPresent(out, disk.wwnWithExtension());
                case RootDeviceHints.WWN_VENDOR_EXTENSION -> addIfPresent(out, disk.wwnVendorExtension());
                case RootDeviceHints.HCTL -> addIfPresent(out, disk.hctl());
                default -> throw new IllegalStateException("not a string hint: " + name);
            }
            return out;
        }

        private static void addIfPresent(List<String> out, String value) {
            if (value != null && !value.isBlank()) {
                out.add(value.trim());
            }
        }

        private static String lower(String s) {
            return s.trim().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code rotational}: spinning disk (true) or not (false). A disk that does not say never matches. */
    record Rotational(boolean rotational) implements RootDeviceHint {

        @Override
        public String name() {
            return RootDeviceHints.ROTATIONAL;
        }

        @Override
        public String expression() {
            return Boolean.toString(rotational);
        }

        @Override
        public Optional<String> unmetBy(Disk disk) {
            if (disk.rotational() == null) {
                return Optional.of("rotational not reported, cannot satisfy " + rotational);
            }
            return disk.rotational() == rotational ? Optional.empty()
                    : Optional.of("rotational is " + disk.rotational() + ", hint requires " + rotational);
        }
    }

    /** {@code sda} → {@code /dev/sda}; absolute paths stay as they are. */
    static String devicePath(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String n = name.trim();
        return n.startsWith("/") ? n : "/dev/" + n;
    }

    /** {@code wwn-0x…} → {@code /dev/disk/by-id/wwn-0x…}; absolute paths stay as they are. */
    static String byIdPath(String link) {
        if (link == null || link.isBlank()) {
            return null;
        }
        String l = link.trim();
        return l.startsWith("/") ? l : StableDevicePath.BY_ID + l;
    }

    /** {@code pci-…} → {@code /dev/disk/by-path/pci-…}; absolute paths stay as they are. */
    static String byPathPath(String link) {
        if (link == null || link.isBlank()) {
            return null;
        }
        String l = link.trim();
        return l.startsWith("/") ? l : StableDevicePath.BY_PATH + l;
    }

    /**
     * A size in GiB with one decimal ({@code 447.1 GiB}); more decimals when one would make a size that
     * is not a whole number of GiB look like one, so "== 500" failing never reads "500.0 GiB".
     */
    static String formatGib(long bytes) {
        double gib = (double) bytes / BYTES_PER_GIB;
        if (bytes % BYTES_PER_GIB == 0) {
            return (bytes / BYTES_PER_GIB) + " GiB";
        }
        String oneDecimal = String.format(Locale.ROOT, "%.1f", gib);
        if (oneDecimal.endsWith(".0")) {
            return String.format(Locale.ROOT, "%.3f", gib) + " GiB";
        }
        return oneDecimal + " GiB";
    }
}
