package com.ultracloud.deployer.gateway.enrollment;

import com.ultracloud.deployer.machine.api.intent.ClusterIntentImported;
import com.ultracloud.deployer.machine.api.intent.CurrentIntent;
import com.ultracloud.deployer.machine.api.intent.ImportClusterIntent;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/**
 * The intent in force, read from the event store (no projection lag): enrollment must never match
 * against an intent older than the one just imported. The last import is cached by its sequence number.
 */
@Component
public class ClusterIntents {

    private final EventStore eventStore;
    private volatile Cached cached;

    ClusterIntents(EventStore eventStore) {
        this.eventStore = eventStore;
    }

    private record Cached(long sequence, CurrentIntent intent) {
    }

    public Optional<CurrentIntent> current() {
        Optional<Long> last = eventStore.lastSequenceNumberFor(ImportClusterIntent.INTENT_ID);
        if (last.isEmpty()) {
            return Optional.empty();
        }
        Cached c = cached;
        if (c != null && c.sequence() == last.get()) {
            return Optional.of(c.intent());
        }
        List<? extends DomainEventMessage<?>> events =
                eventStore.readEvents(ImportClusterIntent.INTENT_ID, last.get()).asStream().toList();
        if (events.isEmpty() || !(events.get(events.size() - 1).getPayload() instanceof ClusterIntentImported)) {
            return Optional.empty();
        }
        DomainEventMessage<?> e = events.get(events.size() - 1);
        ClusterIntentImported imported = (ClusterIntentImported) e.getPayload();
        CurrentIntent intent = new CurrentIntent(imported.generation(), imported.sha256(), e.getTimestamp(), imported.state());
        cached = new Cached(e.getSequenceNumber(), intent);
        return Optional.of(intent);
    }
}
