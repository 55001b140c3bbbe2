package com.ultracloud.deployer.machine.command;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.command.ReportActivation;
import com.ultracloud.deployer.machine.api.deployment.CreateHostDeployment;
import com.ultracloud.deployer.machine.api.deployment.DeploymentState;
import com.ultracloud.deployer.machine.api.deployment.DrainPolicy;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentSpec;
import com.ultracloud.deployer.machine.api.deployment.MachineSelector;
import com.ultracloud.deployer.machine.api.deployment.MaxUnavailable;
import com.ultracloud.deployer.machine.api.event.ActivationReported;
import com.ultracloud.deployer.machine.api.event.DesiredSystemSet;
import com.ultracloud.deployer.machine.api.event.MachineActivated;
import com.ultracloud.deployer.machine.api.event.MachineDiscovered;
import com.ultracloud.deployer.machine.api.rollout.ActivationResult;
import com.ultracloud.deployer.machine.api.rollout.ActivationSettings;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;
import com.ultracloud.deployer.machine.api.rollout.TargetSystem;
import com.ultracloud.deployer.machine.saga.InstallPlanner;
import com.ultracloud.deployer.machine.saga.InstallTimeouts;
import com.ultracloud.deployer.machine.saga.RolloutTargets;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.caching.NoCache;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rollout loop wired as the application will wire it ({@link MachineWriteSide#registerWith} and
 * {@link MachineWriteSide#registerRolloutWith}, {@link RolloutTargets} as a configuration component), on an
 * in-memory event store with subscribing processors: a deployment over two ACTIVE machines and one INSTALLED
 * one sets their desired systems, the agents' healthy reports roll them out, the deployment succeeds.
 */
class RolloutWiringTest {

    static final DeploymentId D = DeploymentId.of("web-2025-06");
    static final MachineId W1 = MachineId.ofFingerprint("smbios:wire-1");
    static final MachineId W2 = MachineId.ofFingerprint("smbios:wire-2");
    static final MachineId W3 = MachineId.ofFingerprint("smbios:wire-3");
    static final TargetSystem SYSTEM = TargetSystem.storePath("/nix/store/0f3k9a1m2q8x7c6v5b4n3z2l1p0o9i8u-nixos-system-web");

    Configuration axon;

    @BeforeEach
    void start() {
        RolloutTargets targets = new RolloutTargets() {
            @Override
            public List<CoveredMachine> covered(MachineSelector selector) {
                return List.of(new CoveredMachine(W1, "web-1", MachineState.ACTIVE, Health.HEALTHY),
                        new CoveredMachine(W2, "web-2", MachineState.ACTIVE, Health.UNKNOWN),
                        new CoveredMachine(W3, "web-3", MachineState.INSTALLED, Health.UNKNOWN));
            }

            @Override
            public List<Claim> unfinishedClaims(DeploymentId asking, Collection<MachineId> machines) {
                return List.of();
            }
        };
        Configurer configurer = DefaultConfigurer.defaultConfiguration()
                .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine())
                .registerComponent(RolloutTargets.class, c -> targets)
                .registerComponent(InstallPlanner.class, c -> (machine, round) -> new InstallPlanner.Deferred("not in this test"))
                .registerComponent(InstallTimeouts.class, c -> InstallTimeouts.DEFAULT);
        configurer.eventProcessing().usingSubscribingEventProcessors();
        MachineWriteSide.registerWith(configurer, NoCache.INSTANCE);
        MachineWriteSide.registerRolloutWith(configurer);
        axon = configurer.start();
        EventStore events = axon.eventStore();
        for (MachineId m : List.of(W1, W2)) {
            events.publish(new GenericDomainEventMessage<>("Machine", m.toString(), 0,
                            new MachineDiscovered(m, 1, m.toString(), null, "sha256:x", MachineState.DISCOVERED)),
                    new GenericDomainEventMessage<>("Machine", m.toString(), 1,
                            new MachineActivated(m, "/nix/store/old", MachineState.ACTIVE)));
        }
    }

    @AfterEach
    void stop() {
        axon.shutdown();
    }

    @Test
    void aDeploymentRollsOutItsMachinesAndSucceeds() {
        CommandGateway commands = axon.commandGateway();
        HostDeploymentSpec spec = new HostDeploymentSpec(MachineSelector.pool("web"), SYSTEM, 1, MaxUnavailable.count(1),
                DrainPolicy.NONE, ActivationSettings.DEFAULT, 1);

        assertThat((Object) commands.sendAndWait(new CreateHostDeployment(D, 3, spec))).isEqualTo(DeploymentState.PENDING);
        assertThat(payloads(W1)).anyMatch(e -> e instanceof DesiredSystemSet d && d.deploymentId().equals(D));
        assertThat(payloads(W2)).noneMatch(DesiredSystemSet.class::isInstance); // batch size 1, max unavailable 1

        commands.sendAndWait(new ReportActivation(W1, D, ActivationResult.HEALTHY, SYSTEM.storePath(), 3, null));
        assertThat(payloads(W2)).anyMatch(e -> e instanceof DesiredSystemSet d && d.deploymentId().equals(D));

        commands.sendAndWait(new ReportActivation(W2, D, ActivationResult.HEALTHY, SYSTEM.storePath(), 3, null));
        assertThat(payloads(W2)).anyMatch(e -> e instanceof ActivationReported r && r.current());
        assertThat(payloads(D.toString()).stream().map(e -> e.getClass().getSimpleName())).containsExactly(
                "HostDeploymentCreated", "HostDeploymentStarted", "MachineRolledOut", "MachineRolledOut",
                "HostDeploymentSucceeded");
    }

    List<Object> payloads(MachineId machine) {
        return payloads(machine.toString());
    }

    List<Object> payloads(String aggregate) {
        return axon.eventStore().readEvents(aggregate).asStream().map(m -> (Object) m.getPayload()).toList();
    }
}
