package com.ultracloud.deployer.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a canonical JSON rendering of a machine's facts. Two announcements with the same
 * facts have the same digest, which is what makes rediscovery idempotent.
 */
public final class InventoryDigest {

    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private InventoryDigest() {
    }

    public static String of(MachineInventory inventory) {
        try {
            byte[] json = CANONICAL.writeValueAsBytes(inventory);
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot digest machine facts", e);
        }
    }

    /** The canonical JSON, e.g. for storing facts compactly. */
    public static String canonicalJson(MachineInventory inventory) {
        try {
            return new String(CANONICAL.writeValueAsBytes(inventory), StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render machine facts", e);
        }
    }
}
