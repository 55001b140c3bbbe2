package com.ultracloud.deployer.gateway.readpath;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandResultMessage;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Feeds {@link MachineSignals} and answers every command with the version it produced, without touching
 * the write side's code:
 * <ul>
 * <li>an event-bus dispatch interceptor notes, in the unit of work that appends them, the sequence number of
 *     every domain event, and signals the aggregate once the unit of work has committed;</li>
 * <li>a command-handler interceptor puts the last appended event's aggregate id and sequence number into the
 *     command's result metadata ({@link #AGGREGATE_ID}, {@link #AGGREGATE_VERSION}; none when the command
 *     appended nothing), which {@code MachineCommands} hands to the controllers;</li>
 * <li>a handler interceptor on every event processor signals the event's aggregate once the processor's batch
 *     has committed: a projection that folded the machine's event is readable then.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class ReadPathConfig {

    /** Result metadata: the aggregate the command's last event belongs to, and that event's sequence number. */
    public static final String AGGREGATE_ID = "appendedAggregateId";
    public static final String AGGREGATE_VERSION = "appendedAggregateVersion";
    private static final String APPENDED = ReadPathConfig.class.getName() + ".appended";

    @Bean
    ConfigurerModule readPathSignals(MachineSignals signals) {
        return configurer -> {
            configurer.eventProcessing().registerDefaultHandlerInterceptor((config, processor) -> folded(signals));
            configurer.onInitialize(c -> c.onStart(() -> {
                c.eventBus().registerDispatchInterceptor(appended(signals));
                c.commandBus().registerHandlerInterceptor(versionInResult());
            }));
        };
    }

    /** Notes each appended domain event in its unit of work; signals its aggregate after the commit. */
    static MessageDispatchInterceptor<EventMessage<?>> appended(MachineSignals signals) {
        return messages -> (i, message) -> {
            if (message instanceof DomainEventMessage<?> event && CurrentUnitOfWork.isStarted()) {
                UnitOfWork<?> root = CurrentUnitOfWork.get().root();
                Appended appended = root.getOrComputeResource(APPENDED, k -> {
                    Appended a = new Appended();
                    root.afterCommit(u -> a.versions.keySet().forEach(signals::signal));
                    return a;
                });
                appended.note(event.getAggregateIdentifier(), event.getSequenceNumber());
            }
            return message;
        };
    }

    /** The result of a command that appended events carries the last one's aggregate id and sequence number. */
    static MessageHandlerInterceptor<CommandMessage<?>> versionInResult() {
        return (unitOfWork, chain) -> {
            Object result = chain.proceed();
            Appended appended = unitOfWork.root().getResource(APPENDED);
            if (appended == null || appended.lastAggregate == null) {
                return result;
            }
            Map<String, Object> version = Map.of(AGGREGATE_ID, appended.lastAggregate,
                    AGGREGATE_VERSION, appended.versions.get(appended.lastAggregate));
            return GenericCommandResultMessage.asCommandResultMessage(result).andMetaData(version);
        };
    }

    /** After a processor's batch commits, its events' aggregates may be read at their new versions. */
    private static MessageHandlerInterceptor<EventMessage<?>> folded(MachineSignals signals) {
        return (unitOfWork, chain) -> {
            if (unitOfWork.getMessage() instanceof DomainEventMessage<?> event) {
                String id = event.getAggregateIdentifier();
                unitOfWork.afterCommit(u -> signals.signal(id));
            }
            return chain.proceed();
        };
    }

    /** The events one unit of work appended: the highest sequence number per aggregate, and the last aggregate. */
    private static final class Appended {
        final Map<String, Long> versions = new LinkedHashMap<>();
        String lastAggregate;

        synchronized void note(String aggregate, long sequence) {
            versions.merge(aggregate, sequence, Math::max);
            lastAggregate = aggregate;
        }
    }
}
