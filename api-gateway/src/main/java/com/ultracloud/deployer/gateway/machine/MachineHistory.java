package com.ultracloud.deployer.gateway.machine;

import com.ultracloud.deployer.gateway.audit.ExportedEvent;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.projection.inventory.MachineDetail;
import com.ultracloud.deployer.projection.inventory.MachineDetailFold;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A machine's own event stream, read straight from the event store: the audit history, the
 * machine as the aggregate now is (no projection lag), and the machine as of event N or instant T.
 */
@Component
public class MachineHistory {

    private final EventStore eventStore;

    MachineHistory(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    /** Every event of the machine, oldest first (never a snapshot: this is the audit trail). */
    public List<HistoryEntry> history(MachineId id) {
        return events(id).stream().map(HistoryEntry::of).toList();
    }

    /** Every event of the machine as the exports write them. */
    public List<ExportedEvent> exported(MachineId id) {
        return events(id).stream().map(ExportedEvent::of).toList();
    }

    public Optional<MachineDetail> current(MachineId id) {
        return foldWhile(id, e -> true);
    }

    /** The detail after event {@code sequence} (0 is the first event). */
    public Optional<MachineDetail> asOfSequence(MachineId id, long sequence) {
        return foldWhile(id, e -> e.getSequenceNumber() <= sequence);
    }

    /** The detail after every event recorded at or before {@code instant}. */
    public Optional<MachineDetail> asOfInstant(MachineId id, Instant instant) {
        return foldWhile(id, e -> !e.getTimestamp().isAfter(instant));
    }

    /** The machine's version: the sequence number of its last event (empty: no such machine). */
    public Optional<Long> lastVersion(MachineId id) {
        return eventStore.lastSequenceNumberFor(id.toString());
    }

    /** The payloads of the machine's events up to and including {@code sequence}, oldest first. */
    public List<Object> payloadsThrough(MachineId id, long sequence) {
        return events(id).stream().takeWhile(e -> e.getSequenceNumber() <= sequence)
                .<Object>map(DomainEventMessage::getPayload).toList();
    }

    public boolean exists(MachineId id) {
        return eventStore.lastSequenceNumberFor(id.toString()).isPresent();
    }

    private Optional<MachineDetail> foldWhile(MachineId id, Predicate<DomainEventMessage<?>> include) {
        List<MachineDetailFold.FoldableEvent> events = events(id).stream()
                .takeWhile(include)
                .map(e -> new MachineDetailFold.FoldableEvent(e.getPayload(), e.getSequenceNumber(), e.getTimestamp()))
                .toList();
        return Optional.ofNullable(MachineDetailFold.fold(events));
    }

    private List<? extends DomainEventMessage<?>> events(MachineId id) {
        return eventStore.readEvents(id.toString(), 0).asStream().toList();
    }

    /** One line of a machine's history ({@code GET /api/v1/machines/{id}/events}). */
    public record HistoryEntry(long sequence, String type, Instant timestamp, Object payload,
                               Map<String, Object> metadata) {
        static HistoryEntry of(DomainEventMessage<?> e) {
            return new HistoryEntry(e.getSequenceNumber(), e.getPayloadType().getSimpleName(), e.getTimestamp(),
                    e.getPayload(), Map.copyOf(e.getMetaData()));
        }
    }
}
