package com.ultracloud.deployer.installer.facts;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * udev's properties of a block device: the {@code E:KEY=VALUE} lines of
 * {@code /run/udev/data/b<major>:<minor>} (the same data {@code udevadm info} prints). Absent when udev
 * has not run (containers, some recorded trees): then every lookup answers null.
 */
final class UdevDatabase {

    private final SystemRoot root;

    UdevDatabase(SystemRoot root) {
        this.root = root;
    }

    /** The properties of the block device {@code majorMinor} (the content of {@code /sys/block/X/dev}). */
    Properties block(String majorMinor) {
        Map<String, String> values = new HashMap<>();
        if (majorMinor != null) {
            for (String line : root.lines(root.path("/run/udev/data/b" + majorMinor))) {
                int eq = line.indexOf('=');
                if (line.startsWith("E:") && eq > 2) {
                    values.put(line.substring(2, eq), line.substring(eq + 1));
                }
            }
        }
        return new Properties(values);
    }

    record Properties(Map<String, String> values) {

        /** The trimmed value, or null when absent or blank. */
        String get(String key) {
            String v = values.get(key);
            return v == null || v.isBlank() ? null : v.trim();
        }

        /** An {@code *_ENC} value with udev's {@code \xNN} escapes decoded, trimmed (what lsblk shows). */
        String decoded(String key) {
            String v = values.get(key);
            if (v == null) {
                return null;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c == '\\' && i + 3 < v.length() && v.charAt(i + 1) == 'x') {
                    try {
                        out.write(Integer.parseInt(v.substring(i + 2, i + 4), 16));
                        i += 3;
                        continue;
                    } catch (NumberFormatException ignored) {
                        // not an escape: keep the backslash
                    }
                }
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
            String text = out.toString(StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? null : text;
        }
    }
}
