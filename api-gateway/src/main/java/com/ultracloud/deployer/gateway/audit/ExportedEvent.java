package com.ultracloud.deployer.gateway.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;

import java.time.Instant;
import java.util.Map;

/**
 * One event as the exports write it (a line of JSONL): where it stands in the whole store ({@code position}, when
 * read from it), its aggregate and sequence number there, its {@code type} (the event's name in the domain, unique
 * across the aggregates' events: what a replay reads the payload back into), when, its payload and its metadata
 * (principal, correlation and causation ids). No Java class names: the API shows no internals. Events carry no
 * secrets (DESIGN §5), so neither does an export.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExportedEvent(Long position, String aggregateType, String aggregateId, Long sequence, String type,
                            Instant timestamp, Object payload, Map<String, Object> metadata) {

    /** Read in position order from a token without gaps: the token's index is the event's position. */
    public static ExportedEvent of(EventMessage<?> e) {
        return of(e, e instanceof TrackedEventMessage<?> t && t.trackingToken() != null
                ? t.trackingToken().position().stream().boxed().findFirst().orElse(null) : null);
    }

    public static ExportedEvent of(EventMessage<?> e, Long position) {
        DomainEventMessage<?> d = e instanceof DomainEventMessage<?> m ? m : null;
        return new ExportedEvent(position, d == null ? null : d.getType(), d == null ? null : d.getAggregateIdentifier(),
                d == null ? null : d.getSequenceNumber(), e.getPayloadType().getSimpleName(), e.getTimestamp(),
                e.getPayload(), Map.copyOf(e.getMetaData()));
    }
}
