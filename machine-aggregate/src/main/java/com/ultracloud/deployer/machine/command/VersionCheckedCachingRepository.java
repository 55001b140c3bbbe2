package com.ultracloud.deployer.machine.command;

import org.axonframework.common.caching.Cache;
import org.axonframework.config.Configuration;
import org.axonframework.eventsourcing.CachingEventSourcingRepository;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.DefaultRepositorySpanFactory;
import org.axonframework.modelling.command.RepositorySpanFactory;

import java.util.Objects;

/**
 * An aggregate cache that is safe when several processes write the same event store (gateway
 * replicas on one PostgreSQL database). A cached aggregate is used only if its version is still the
 * last sequence number stored for it — one indexed {@code max(sequence_number)} lookup instead of
 * reading the snapshot table and decoding the whole stream. If another writer appended since, the
 * copy is dropped and the stream read, so no decision is ever taken on a stale state; a write that
 * races between the check and the append meets the store's unique (aggregate, sequence) key, as
 * without a cache, and the rolled-back unit of work evicts the entry.
 */
final class VersionCheckedCachingRepository<T> extends CachingEventSourcingRepository<T> {

    private final Cache cache;
    private final EventStore eventStore;

    private VersionCheckedCachingRepository(EventSourcingRepository.Builder<T> builder, Cache cache, EventStore eventStore) {
        super(builder);
        this.cache = cache;
        this.eventStore = eventStore;
    }

    /** The repository the default configuration would build for {@code type}, with the checked cache. */
    static <T> VersionCheckedCachingRepository<T> of(Class<T> type, Configuration c, Cache cache) {
        EventSourcingRepository.Builder<T> builder = EventSourcingRepository.builder(type)
                .parameterResolverFactory(c.parameterResolverFactory())
                .handlerDefinition(c.handlerDefinition(type))
                .eventStore(c.eventStore())
                .repositoryProvider(c::repository)
                .spanFactory(c.getComponent(RepositorySpanFactory.class,
                        () -> DefaultRepositorySpanFactory.builder().spanFactory(c.spanFactory()).build()))
                .cache(cache);
        return new VersionCheckedCachingRepository<>(builder, cache, c.eventStore());
    }

    @Override
    protected EventSourcedAggregate<T> doLoadWithLock(String aggregateIdentifier, Long expectedVersion) {
        boolean cached = cache.containsKey(aggregateIdentifier);
        EventSourcedAggregate<T> aggregate = super.doLoadWithLock(aggregateIdentifier, expectedVersion);
        if (cached && !Objects.equals(aggregate.version(), eventStore.lastSequenceNumberFor(aggregateIdentifier).orElse(null))) {
            cache.remove(aggregateIdentifier);
            aggregate = super.doLoadWithLock(aggregateIdentifier, expectedVersion);
        }
        return aggregate;
    }
}
