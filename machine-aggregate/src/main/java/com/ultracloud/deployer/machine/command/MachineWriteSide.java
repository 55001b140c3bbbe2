package com.ultracloud.deployer.machine.command;

import org.axonframework.common.caching.Cache;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configurer;

/**
 * Registers the write side with an Axon {@link Configurer}. The application calls this from a
 * {@code ConfigurerModule}, so this module needs no Spring stereotypes.
 */
public final class MachineWriteSide {

    private MachineWriteSide() {
    }

    /**
     * {@code machineCache} keeps aggregates between commands, so a command does not re-read the
     * machine's whole stream (pass {@code NoCache.INSTANCE} to disable). Another gateway replica appending to the
     * same machine makes the cached copy stale; the append then fails on the event store's unique
     * (aggregate, sequence) key, the command is refused as a concurrent modification (409, retry-safe)
     * and Axon drops the stale entry.
     */
    public static void registerWith(Configurer configurer, Cache machineCache) {
        configurer.configureAggregate(AggregateConfigurer.defaultConfiguration(Machine.class)
                .configureCache(c -> machineCache));
        configurer.onInitialize(c -> c.onStart(() ->
                c.commandBus().registerHandlerInterceptor(new DomainErrorInterceptor())));
    }
}
