package com.ultracloud.deployer.gateway.config;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import com.ultracloud.deployer.gateway.replicas.ReplicaRoster;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Optional;

/**
 * Events and tracking tokens are stored through Axon's JDBC storage engine and token store (ADR 0006): same tables as the JPA engine it
 * replaced, but no Hibernate session, persist and flush per command, and the global index comes from the
 * column's default instead of a separate {@code nextval} round trip. It joins the Spring transaction of
 * the unit of work (JPA projections and the subscribing credentials processor commit with it).
 */
@Configuration(proxyBeanMethods = false)
class EventStorageConfig {

    @Bean
    EventStorageEngine eventStorageEngine(DataSource dataSource, TransactionManager transactionManager,
                                          Serializer serializer, @Qualifier("eventSerializer") Serializer eventSerializer,
                                          PersistenceExceptionResolver persistenceExceptionResolver) {
        return new WithoutSnapshots(JdbcEventStorageEngine.builder()
                .connectionProvider(new UnitOfWorkAwareConnectionProviderWrapper(
                        new SpringDataSourceConnectionProvider(dataSource)))
                .transactionManager(transactionManager)
                .snapshotSerializer(serializer)
                .eventSerializer(eventSerializer)
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .schema(SNAKE_CASE));
    }

    /**
     * Tracking tokens through Axon's JDBC token store, on the {@code token_entry} table of V1: a pooled
     * processor stores its token after every batch it handles, and through JPA each store was a JPQL
     * update interpreted by Hibernate (the largest share of the enrollment policy's samples in the storm).
     * Its claims name this replica as the roster does (Axon's default, the JVM's pid@host, is one name for two
     * gateways in one JVM, and each would then take the other's claims for its own).
     * <p>
     * {@code claimTimeout} bounds how long the segments of a replica that died without releasing them stay
     * its own before another replica takes them over (ADR 0008). Axon's own property
     * ({@code axon.eventhandling.tokenstore.claim-timeout}) configures only the token store Axon would build, so it
     * is read here.
     */
    @Bean
    TokenStore tokenStore(DataSource dataSource, Serializer serializer, ReplicaRoster roster,
                          @Value("${axon.eventhandling.tokenstore.claim-timeout:10s}") Duration claimTimeout) {
        return JdbcTokenStore.builder()
                .nodeId(roster.id())
                .claimTimeout(claimTimeout)
                .connectionProvider(new UnitOfWorkAwareConnectionProviderWrapper(
                        new SpringDataSourceConnectionProvider(dataSource)))
                .serializer(serializer)
                .schema(TokenSchema.builder()
                        .setTokenTable("token_entry")
                        .setProcessorNameColumn("processor_name")
                        .setSegmentColumn("segment")
                        .setTokenColumn("token")
                        .setTokenTypeColumn("token_type")
                        .setTimestampColumn("timestamp")
                        .setOwnerColumn("owner")
                        .build())
                .build();
    }

    /** The tables and columns as the JPA mapping named them (V1), not the JDBC engine's camel-case defaults. */
    static final EventSchema SNAKE_CASE = EventSchema.builder()
            .eventTable("domain_event_entry")
            .snapshotTable("snapshot_event_entry")
            .globalIndexColumn("global_index")
            .timestampColumn("time_stamp")
            .eventIdentifierColumn("event_identifier")
            .aggregateIdentifierColumn("aggregate_identifier")
            .sequenceNumberColumn("sequence_number")
            .typeColumn("type")
            .payloadTypeColumn("payload_type")
            .payloadRevisionColumn("payload_revision")
            .payloadColumn("payload")
            .metaDataColumn("meta_data")
            .build();

    /**
     * No aggregate here is ever snapshotted, so loading one skips the snapshot-table lookup (one query per
     * load). Configure a snapshotter and this class must go.
     */
    static final class WithoutSnapshots extends JdbcEventStorageEngine {
        WithoutSnapshots(JdbcEventStorageEngine.Builder builder) {
            super(builder);
        }

        @Override
        public Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
            return Optional.empty();
        }
    }
}
