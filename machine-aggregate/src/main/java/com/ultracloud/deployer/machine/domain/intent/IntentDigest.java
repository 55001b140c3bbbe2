package com.ultracloud.deployer.machine.domain.intent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The digest that tells cluster-intent generations apart: SHA-256 of the document's canonical JSON,
 * not of the bytes received. The same document formatted differently — {@code nix-instantiate}'s one
 * line, the pretty-printed golden file, keys in another order, {@code 1.0} for {@code 1}, {@code \u00e9}
 * for {@code é} — has one digest, so importing it again is no new generation.
 *
 * <p>Canonical form: object keys sorted (by UTF-16 code units, as RFC 8785), array order kept, no
 * whitespace between tokens, strings as parsed and written with Jackson's minimal escaping, numbers
 * by value ({@code 100}, {@code 100.0} and {@code 1e2} are {@code 100}; a fraction is written as
 * {@link BigDecimal#toString()} of its shortest form). {@code null} stays {@code null}: a key with a
 * null value is not the same document as a missing key. Duplicate keys: the last one wins, as for the
 * import itself.
 */
public final class IntentDigest {

    /** Integers wider than this are written in scientific form, so "1e999999999" cannot blow up. */
    private static final int MAX_PLAIN_DIGITS = 1000;

    private static final ObjectMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();
    private static final JsonFactory FACTORY = new JsonFactory();

    private IntentDigest() {
    }

    /**
     * @param raw a JSON document, as received
     * @return 64 lower-case hex digits
     * @throws IllegalArgumentException when {@code raw} is not JSON
     */
    public static String sha256(byte[] raw) {
        return sha256Hex(canonicalJson(raw).getBytes(StandardCharsets.UTF_8));
    }

    /** The canonical JSON of {@code raw} (see the class comment). */
    public static String canonicalJson(byte[] raw) {
        JsonNode tree;
        try {
            tree = EXACT.readTree(raw);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON document", e);
        }
        if (tree == null || tree.isMissingNode()) {
            throw new IllegalArgumentException("not a JSON document: empty");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(tree, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void write(JsonNode n, JsonGenerator g) throws IOException {
        if (n.isObject()) {
            List<String> keys = new ArrayList<>();
            n.fieldNames().forEachRemaining(keys::add);
            keys.sort(null);
            g.writeStartObject();
            for (String k : keys) {
                g.writeFieldName(k);
                write(n.get(k), g);
            }
            g.writeEndObject();
        } else if (n.isArray()) {
            g.writeStartArray();
            for (JsonNode e : n) {
                write(e, g);
            }
            g.writeEndArray();
        } else if (n.isNumber()) {
            g.writeNumber(number(n.decimalValue()));
        } else if (n.isTextual()) {
            g.writeString(n.textValue());
        } else if (n.isBoolean()) {
            g.writeBoolean(n.booleanValue());
        } else {
            g.writeNull();
        }
    }

    static String number(BigDecimal value) {
        BigDecimal d = value.stripTrailingZeros();
        if (d.signum() == 0) {
            return "0";
        }
        if (d.scale() <= 0 && d.precision() - d.scale() <= MAX_PLAIN_DIGITS) {
            return d.toBigIntegerExact().toString();
        }
        return d.toString();
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
