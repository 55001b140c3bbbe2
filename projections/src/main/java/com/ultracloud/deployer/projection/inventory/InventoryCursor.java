package com.ultracloud.deployer.projection.inventory;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Where a keyset page ends: the sort it was read in, the last row's sort value (null when the row has
 * none) and its machine id. Opaque to clients: base64url of {@code v1 \n sort \n =value|- \n machineId}.
 */
public record InventoryCursor(String sort, String value, String machineId) {

    private static final String VERSION = "v1";

    public String encode() {
        String text = String.join("\n", VERSION, sort, value == null ? "-" : "=" + value, machineId);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor, or empty when {@code encoded} is not one this deployer made. */
    public static Optional<InventoryCursor> decode(String encoded) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8).split("\n", -1);
            if (parts.length != 4 || !parts[0].equals(VERSION) || parts[3].isBlank()
                    || !(parts[2].equals("-") || parts[2].startsWith("="))) {
                return Optional.empty();
            }
            return Optional.of(new InventoryCursor(parts[1], parts[2].equals("-") ? null : parts[2].substring(1), parts[3]));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
