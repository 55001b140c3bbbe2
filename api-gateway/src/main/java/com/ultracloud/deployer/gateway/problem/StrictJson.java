package com.ultracloud.deployer.gateway.problem;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * What a JSON request body may be, checked on its bytes before any binding: one UTF-8 JSON value
 * (RFC 8259) without a byte order mark, not {@code null}, no key twice in an object, nothing after
 * the value, at most {@value #MAX_DEPTH} levels deep, and no string (key or value) with a NUL or a
 * lone UTF-16 surrogate — PostgreSQL cannot store the first, and neither can be written back as
 * UTF-8. Jackson alone accepts all of these (it skips a BOM, keeps the last duplicate, stops
 * reading after the first value).
 */
public final class StrictJson {

    static final int MAX_DEPTH = 64;
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private StrictJson() {
    }

    /** @throws InvalidRequestException naming the offending place ({@code nics[1].mac}, or {@code $}) */
    public static void check(byte[] body) {
        if (hasByteOrderMark(body)) {
            throw invalid("$", "a byte order mark is not allowed: send UTF-8 JSON without one");
        }
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try (JsonParser p = FACTORY.createParser(new InputStreamReader(new ByteArrayInputStream(body), decoder))) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw invalid("$", "a JSON body is required");
            }
            if (first == JsonToken.VALUE_NULL) {
                throw invalid("$", "a JSON object is required, not null");
            }
            walk(p, first);
            JsonToken after;
            try {
                after = p.nextToken();
            } catch (JsonProcessingException e) {
                after = JsonToken.NOT_AVAILABLE;
            }
            if (after != null) {
                throw invalid("$", "unexpected content after the JSON value" + at(p));
            }
        } catch (CharacterCodingException e) {
            throw invalid("$", "the body is not UTF-8");
        } catch (JsonProcessingException e) {
            String path = JsonPaths.of(e.getProcessor() instanceof JsonParser jp ? jp.getParsingContext() : null);
            throw invalid(path, JsonPaths.reason(e));
        } catch (IOException e) {
            throw invalid("$", "unreadable body");
        }
    }

    /** Reads the value that starts with {@code first}, checking every key and string in it. */
    private static void walk(JsonParser p, JsonToken first) throws IOException {
        Deque<Set<String>> keys = new ArrayDeque<>();
        JsonToken t = first;
        while (true) {
            switch (t) {
                case START_OBJECT, START_ARRAY -> {
                    if (keys.size() >= MAX_DEPTH) {
                        throw invalid(JsonPaths.of(p.getParsingContext()), "nested deeper than " + MAX_DEPTH + " levels");
                    }
                    keys.push(t == JsonToken.START_OBJECT ? new HashSet<>() : Set.of());
                }
                case END_OBJECT, END_ARRAY -> keys.pop();
                case FIELD_NAME -> {
                    String name = p.currentName();
                    checkText(p, name);
                    if (!keys.peek().add(name)) {
                        throw invalid(JsonPaths.of(p.getParsingContext()), "duplicate key '" + name + "'");
                    }
                }
                case VALUE_STRING -> checkText(p, p.getText());
                default -> {
                    // numbers, booleans, null: Jackson has checked their syntax and length
                }
            }
            if (keys.isEmpty()) {
                return;
            }
            t = p.nextToken();
            if (t == null) {
                throw invalid("$", "the JSON value is incomplete" + at(p));
            }
        }
    }

    private static void checkText(JsonParser p, String s) {
        if (!isPlainText(s)) {
            throw invalid(JsonPaths.of(p.getParsingContext()),
                    "contains a NUL character (\\u0000) or a lone UTF-16 surrogate");
        }
    }

    /** No NUL and no unpaired UTF-16 surrogate: text that every store and every UTF-8 writer can take. */
    public static boolean isPlainText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasByteOrderMark(byte[] b) {
        return b.length >= 2 && ((b[0] == (byte) 0xEF && b.length >= 3 && b[1] == (byte) 0xBB && b[2] == (byte) 0xBF)
                || (b[0] == (byte) 0xFE && b[1] == (byte) 0xFF) || (b[0] == (byte) 0xFF && b[1] == (byte) 0xFE));
    }

    private static String at(JsonParser p) {
        var loc = p.currentLocation();
        return loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    private static InvalidRequestException invalid(String path, String reason) {
        return InvalidRequestException.inBody(path, reason);
    }
}
