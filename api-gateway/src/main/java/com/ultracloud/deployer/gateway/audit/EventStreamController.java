package com.ultracloud.deployer.gateway.audit;

import com.ultracloud.deployer.gateway.problem.InvalidRequestException;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code GET /api/v1/events/stream[?machine=ID][&aggregateType=T][&type=E,…]}: every event of every aggregate as
 * Server-Sent Events, live; with {@code Last-Event-ID} (or {@code ?lastEventId=}, for a browser's first connect) from
 * that id on, caught up from the store first. docs/api.md describes the frames; {@link EventStream} how it is fed.
 */
@RestController
class EventStreamController {

    private final EventStream stream;

    EventStreamController(EventStream stream) {
        this.stream = stream;
    }

    @ApiResponse(responseCode = "200", description = "Server-Sent Events: id (the position, with open gaps), event (the type), "
            + "data (the event as an export line); heartbeats; a last event `resume` when cut off (docs/api.md)",
            content = @Content(mediaType = "text/event-stream"))
    @GetMapping(path = "/api/v1/events/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    void stream(HttpServletRequest request, HttpServletResponse response,
                @RequestParam(required = false) String machine, @RequestParam(required = false) String aggregateType,
                @RequestParam(required = false) List<String> type,
                @RequestHeader(name = "Last-Event-ID", required = false) String lastEventIdHeader,
                @RequestParam(name = "lastEventId", required = false) String lastEventIdParam) throws IOException {
        StreamFilter filter = StreamFilter.of(machine, aggregateType, type);
        String lastEventId = lastEventIdHeader != null ? lastEventIdHeader : lastEventIdParam;
        StreamCursor from = null;
        if (lastEventId != null && !lastEventId.isBlank()) {
            from = StreamCursor.parse(lastEventId);
            if (from == null) {
                throw InvalidRequestException.of(lastEventIdHeader != null ? "Last-Event-ID" : "lastEventId",
                        "must be an id this stream sent: a position (42), or a position and the gaps below it (42:39,41)");
            }
        }
        response.setContentType("text/event-stream");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        response.setHeader("X-Accel-Buffering", "no"); // a reverse proxy must not hold the frames back
        response.flushBuffer(); // the headers now: the client knows the stream is open before the first event
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(0); // held until the client goes or is cut off; heartbeats find dead peers
        stream.open(async, response.getOutputStream(), filter, from);
    }
}
