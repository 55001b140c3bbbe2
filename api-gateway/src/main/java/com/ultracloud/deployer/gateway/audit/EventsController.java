package com.ultracloud.deployer.gateway.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.gateway.problem.FieldError;
import com.ultracloud.deployer.gateway.problem.InvalidRequestException;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code GET /api/v1/events[?from=P][&to=P][&limit=N][&format=jsonl]}: a slice of the whole event store, every
 * aggregate's events in store order, from position {@code from} (inclusive, default 0) up to {@code to}
 * (inclusive, default the head), at most {@code limit} (1–10,000, default 1,000) per request. When the slice goes on,
 * {@code next} (JSON) or the {@value #NEXT} header (JSONL) is the {@code from} of the next request. Reads the
 * store's own table in position order: the cost is the slice, not the store.
 */
@RestController
@RequestMapping(path = "/api/v1/events", produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_NDJSON_VALUE})
class EventsController {

    static final String NEXT = "X-Next-From";
    static final int MAX_LIMIT = 10_000;

    private final EventStorageEngine store;
    private final ObjectMapper json;

    EventsController(EventStorageEngine store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    /** A JSON slice: its events and, when the slice goes on, the {@code from} of the next request. */
    record Slice(List<ExportedEvent> events, Long next) {
    }

    @GetMapping
    ResponseEntity<?> events(@RequestParam(required = false) Long from, @RequestParam(required = false) Long to,
                             @RequestParam(required = false) Integer limit, @RequestParam(required = false) String format) {
        List<FieldError> errors = new ArrayList<>();
        long start = from == null ? 0 : from;
        int max = limit == null ? 1_000 : limit;
        if (start < 0) {
            errors.add(new FieldError("from", "must be a position, 0 or more"));
        }
        if (to != null && to < start) {
            errors.add(new FieldError("to", "must not be before from (" + start + ")"));
        }
        if (max < 1 || max > MAX_LIMIT) {
            errors.add(new FieldError("limit", "must be between 1 and " + MAX_LIMIT));
        }
        Boolean lines = JsonLines.wanted(format);
        if (lines == null) {
            errors.add(new FieldError("format", "must be json or jsonl"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("invalid event export: " + errors.size() + " error(s)", errors);
        }
        List<ExportedEvent> events = new ArrayList<>();
        Long next = null;
        // the token "after start - 1": the storage engine reads from the next position on, in position order
        try (Stream<? extends org.axonframework.eventhandling.TrackedEventMessage<?>> stream = store.readEvents(
                start == 0 ? null : GapAwareTrackingToken.newInstance(start - 1, Set.of()), false)) {
            for (var it = stream.iterator(); it.hasNext(); ) {
                ExportedEvent e = ExportedEvent.of(it.next());
                if (to != null && e.position() != null && e.position() > to) {
                    break;
                }
                if (events.size() == max) {
                    next = e.position();
                    break;
                }
                events.add(e);
            }
        }
        if (lines) {
            ResponseEntity.BodyBuilder ok = JsonLines.ok();
            if (next != null) {
                ok.header(NEXT, String.valueOf(next));
            }
            return ok.header(HttpHeaders.CACHE_CONTROL, "no-store").body(JsonLines.of(events, json));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(new Slice(events, next));
    }
}
