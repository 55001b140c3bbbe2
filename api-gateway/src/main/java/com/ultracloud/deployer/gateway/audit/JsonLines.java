package com.ultracloud.deployer.gateway.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.util.List;

/** Events as JSON Lines ({@code application/x-ndjson}): one event per line, for files, grep and jq. */
public final class JsonLines {

    public static final String FORMAT = "jsonl";

    private JsonLines() {
    }

    /** {@code format} is {@code json} (default) or {@value #FORMAT}; null when it is neither. */
    public static Boolean wanted(String format) {
        if (format == null || format.isBlank() || format.equals("json")) {
            return false;
        }
        return FORMAT.equals(format) ? true : null;
    }

    public static ResponseEntity.BodyBuilder ok() {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_NDJSON);
    }

    public static String of(List<ExportedEvent> events, ObjectMapper json) {
        StringBuilder out = new StringBuilder();
        for (ExportedEvent e : events) {
            try {
                out.append(json.writeValueAsString(e)).append('\n');
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException("event " + e.type() + " cannot be written as JSON", ex);
            }
        }
        return out.toString();
    }
}
