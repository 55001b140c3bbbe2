package com.ultracloud.deployer.machine.command;

import com.ultracloud.deployer.machine.saga.InstallSaga;
import org.axonframework.config.Configurer;

/**
 * Registers the write side with an Axon {@link Configurer}. The application calls this from a
 * {@code ConfigurerModule}, so this module needs no Spring stereotypes.
 */
public final class MachineWriteSide {

    private MachineWriteSide() {
    }

    public static void registerWith(Configurer configurer) {
        configurer.configureAggregate(Machine.class);
        configurer.eventProcessing(processing -> processing.registerSaga(InstallSaga.class));
        configurer.onInitialize(c -> c.onStart(() ->
                c.commandBus().registerHandlerInterceptor(new DomainErrorInterceptor())));
    }
}
