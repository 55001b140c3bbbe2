package com.ultracloud.deployer.gateway.config;

import com.ultracloud.deployer.gateway.machine.RequestContext;
import com.ultracloud.deployer.gateway.replicas.ReplicaRoster;
import com.ultracloud.deployer.machine.command.MachineWriteSide;
import com.ultracloud.deployer.projection.installplan.InstallPlanProjection;
import com.ultracloud.deployer.projection.intent.IntentProjection;
import com.ultracloud.deployer.projection.inventory.InventoryProjection;
import com.ultracloud.deployer.projection.rollout.RolloutProjection;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.EhCache3Adapter;
import org.axonframework.common.caching.NoCache;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.ehcache.CacheManager;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.core.Ehcache;
import org.springframework.beans.factory.annotation.Value;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Registers the write side with Axon and decides what metadata every message carries along. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DeployerProperties.class)
class AxonConfig {

    @Bean
    ConfigurerModule writeSide(Cache machineCache) {
        return configurer -> MachineWriteSide.registerWith(configurer, machineCache);
    }

    /**
     * The host-rollout loop: the HostDeployment aggregate and the rollout saga (processing group
     * {@code RolloutSagaProcessor}, pooled like the others), whose {@code RolloutTargets} is the gateway's bean
     * over the read models.
     */
    @Bean
    ConfigurerModule rolloutSide() {
        return MachineWriteSide::registerRolloutWith;
    }

    /**
     * Every processing group is pooled streaming, with one segment unless configured otherwise, and replicas split
     * the work of a group by its segments (ADR 0009): each holds at most its fair share, ceil(segments / live
     * replicas), which Axon re-reads at every coordination round. This is Axon's one default pooled configuration
     * (a second registration would replace it). The groups whose work is per machine get
     * {@code deployer.processors.segments} segments (the install plans get theirs in application.yml); the inventory
     * and rollout read models and the rollout saga keep one, since they update rows shared by many machines (counts
     * per state, a deployment's progress).
     */
    @Bean
    ConfigurerModule pooledProcessors(ReplicaRoster roster, @Value("${deployer.processors.segments:1}") int segments) {
        return configurer -> configurer.eventProcessing(processing -> {
            processing.usingPooledStreamingEventProcessors(
                    (config, builder) -> builder.initialSegmentCount(1).maxSegmentProvider(roster));
            for (String group : PER_MACHINE_GROUPS) {
                processing.registerPooledStreamingEventProcessorConfiguration(group,
                        (config, builder) -> builder.initialSegmentCount(segments));
            }
            // A read model's handler that throws fails its batch, which rolls back and is retried from the token
            // (the processor shows error=true in /api/v1/admin/projections meanwhile). Axon's default logs the
            // exception and carries on, which would leave the read model without that event, or with half of it.
            for (String group : READ_MODELS) {
                processing.registerListenerInvocationErrorHandler(group, config -> PropagatingErrorHandler.instance());
            }
        });
    }

    /** The read models: nothing but their own tables depends on their handlers, so they stall rather than skip. */
    static final List<String> READ_MODELS = List.of(InventoryProjection.PROCESSING_GROUP,
            InstallPlanProjection.PROCESSING_GROUP, RolloutProjection.PROCESSING_GROUP, IntentProjection.PROCESSING_GROUP);

    /** Processing groups (besides install-plans) whose handlers touch one machine's rows and sagas only. */
    static final List<String> PER_MACHINE_GROUPS = List.of("enrollment-policy", "InstallSagaProcessor", "DirectiveSagaProcessor");

    /**
     * Aggregates kept on the heap between commands; {@code deployer.write-side.cached-machines} bounds
     * how many (0 disables the cache).
     */
    @Bean(destroyMethod = "")
    Cache machineCache(@Value("${deployer.write-side.cached-machines}") long entries) {
        if (entries <= 0) {
            return NoCache.INSTANCE;
        }
        CacheManager manager = CacheManagerBuilder.newCacheManagerBuilder().build(true);
        var cache = manager.createCache("machines", CacheConfigurationBuilder.newCacheConfigurationBuilder(
                Object.class, Object.class, ResourcePoolsBuilder.heap(entries)));
        return new EhCache3Adapter((Ehcache<?, ?>) cache);
    }

    /**
     * principal and correlationId are copied from the message being handled, so a saga's commands
     * and their events keep the operator's request id; causationId names the message that directly
     * caused this one and traceId the first of the chain.
     */
    @Bean
    CorrelationDataProvider correlationData() {
        CorrelationDataProvider copied = new SimpleCorrelationDataProvider(
                RequestContext.PRINCIPAL, RequestContext.CORRELATION_ID);
        CorrelationDataProvider origin = new MessageOriginProvider("causationId", "traceId");
        return (Message<?> message) -> {
            Map<String, Object> data = new HashMap<>(origin.correlationDataFor(message));
            data.putAll(copied.correlationDataFor(message));
            return data;
        };
    }
}
