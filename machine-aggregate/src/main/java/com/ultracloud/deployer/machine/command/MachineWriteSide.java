package com.ultracloud.deployer.machine.command;

import com.ultracloud.deployer.machine.saga.DirectiveSaga;
import com.ultracloud.deployer.machine.saga.InstallSaga;
import com.ultracloud.deployer.machine.saga.RolloutSaga;
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
     * {@code machineCache} keeps Machine aggregates between commands, so a command does not re-read
     * the machine's whole stream ({@code NoCache.INSTANCE} disables it). A cached machine is used only
     * while its version is the last one stored, so the cache is safe with several writer processes
     * (ADR 0005). The cluster intent is one small aggregate: not cached.
     */
    public static void registerWith(Configurer configurer, Cache machineCache) {
        configurer.configureAggregate(AggregateConfigurer.defaultConfiguration(Machine.class)
                .configureRepository(c -> VersionCheckedCachingRepository.of(Machine.class, c, machineCache)));
        configurer.configureAggregate(ClusterIntent.class);
        configurer.eventProcessing(processing -> processing.registerSaga(InstallSaga.class)
                .registerSaga(DirectiveSaga.class));
        configurer.onInitialize(c -> c.onStart(() ->
                c.commandBus().registerHandlerInterceptor(new DomainErrorInterceptor())));
    }

    /**
     * Registers the host-rollout loop: the {@code HostDeployment} aggregate (not cached: one small stream per
     * deployment) and the {@link RolloutSaga} (processing group {@code RolloutSagaProcessor}). Call it in
     * addition to {@link #registerWith} once the application provides a
     * {@link com.ultracloud.deployer.machine.saga.RolloutTargets} (a Spring bean is enough: Axon resolves it as
     * a handler parameter of the saga); without one the saga's handlers cannot be resolved at start-up, so it
     * is a separate call. The Machine aggregate's rollout commands need nothing extra.
     */
    public static void registerRolloutWith(Configurer configurer) {
        configurer.configureAggregate(HostDeployment.class);
        configurer.eventProcessing(processing -> processing.registerSaga(RolloutSaga.class));
    }
}
