package com.ultracloud.deployer.machine.saga;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.command.ReportActivation;
import com.ultracloud.deployer.machine.api.command.SetDesiredSystem;
import com.ultracloud.deployer.machine.api.deployment.*;
import com.ultracloud.deployer.machine.api.event.ActivationReported;
import com.ultracloud.deployer.machine.api.event.DesiredSystemSet;
import com.ultracloud.deployer.machine.api.rollout.ActivationResult;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.ultracloud.deployer.machine.saga.RolloutSagaTest.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What survives a gateway restart: the rollout saga's state and every new message, through Axon's Jackson
 * serializer with its strict default mapper (unknown properties fail), so nothing the rollout knows is lost.
 */
class RolloutSerializationTest {

    static final JacksonSerializer SERIALIZER = JacksonSerializer.defaultSerializer();

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T value) {
        SerializedObject<byte[]> data = SERIALIZER.serialize(value, byte[].class);
        return (T) SERIALIZER.deserialize(data);
    }

    @Test
    void everyRolloutMessageSurvivesJackson() {
        HostDeploymentSpec spec = DRAIN_FIRST;
        List<Object> messages = List.of(
                new SetDesiredSystem(W1, D, GEN, SYSTEM, ACTIVATION),
                new ReportActivation(W1, D, ActivationResult.ROLLED_BACK, RUNNING, GEN, "healthz answered 503"),
                new DesiredSystemSet(W1, D, GEN, SYSTEM, ACTIVATION),
                new ActivationReported(W1, D, GEN, ActivationResult.ROLLED_BACK, RUNNING, "healthz answered 503", true),
                new CreateHostDeployment(D, GEN, spec),
                new HostDeploymentCreated(D, GEN, spec(DrainPolicy.NONE, MaxUnavailable.percent(25), 3), DeploymentState.PENDING),
                new StartHostDeployment(D, FIVE, List.of(new SkippedMachine(W6, "is DRAINING, not ACTIVE")), 2),
                new HostDeploymentStarted(D, FIVE, List.of(new SkippedMachine(W6, "is DRAINING, not ACTIVE")), 2,
                        DeploymentState.IN_PROGRESS),
                new HostDeploymentPaused(D, "look", DeploymentState.PAUSED),
                new HostDeploymentResumed(D, DeploymentState.IN_PROGRESS),
                new HostDeploymentAborted(D, "wrong revision", "alice", DeploymentState.ABORTED),
                new MachineRolledOut(D, W1, RUNNING),
                new MachineRolloutFailed(D, W2, "timed out", 1, 2),
                new HostDeploymentSucceeded(D, 4, 1, 0, DeploymentState.SUCCEEDED),
                new HostDeploymentFailed(D, 2, 2, 3, DeploymentState.FAILED),
                new HostDeploymentSuperseded(D, DeploymentId.of("web-2025-07"), List.of(W3)),
                new SupersedeHostDeployment(D, DeploymentId.of("web-2025-07"), GEN + 1, List.of(W3)),
                new RecordMachineRolledOut(D, W1, RUNNING),
                new RecordMachineRolloutFailed(D, W1, "x"),
                new RolloutDeadline(D, W1),
                new RolloutDeadline(D, null));
        for (Object message : messages) {
            assertThat(roundTrip(message)).as(message.getClass().getSimpleName()).isEqualTo(message);
        }
    }

    @Test
    void theSagasStateSurvivesJackson() throws Exception {
        RolloutSaga saga = new RolloutSaga();
        set(saga, "deploymentId", D);
        set(saga, "generation", GEN);
        set(saga, "spec", DRAIN_FIRST);
        set(saga, "maxUnavailable", 2);
        set(saga, "queue", new ArrayList<>(List.of(W4, W5)));
        Map<String, RolloutSaga.InFlight> inFlight = new LinkedHashMap<>();
        inFlight.put(W1.toString(), new RolloutSaga.InFlight(W1, "web-1", RolloutSaga.Phase.CONFIRMING, true,
                RolloutSaga.CONFIRM_DEADLINE, "deadline-1"));
        inFlight.put(W2.toString(), new RolloutSaga.InFlight(W2, null, RolloutSaga.Phase.DRAINING, true,
                RolloutSaga.DRAIN_DEADLINE, "deadline-2"));
        set(saga, "inFlight", inFlight);
        set(saga, "paused", true);
        set(saga, "stopping", false);
        set(saga, "batches", 2);
        set(saga, "undrained", new HashSet<>(Set.of(W3.toString())));
        set(saga, "budgetDeadlineId", "deadline-3");

        RolloutSaga back = roundTrip(saga);

        assertThat(back).usingRecursiveComparison().isEqualTo(saga);
        assertThat((List<MachineId>) get(back, "queue")).containsExactly(W4, W5);
    }

    private static void set(Object target, String field, Object value) throws Exception {
        Field f = RolloutSaga.class.getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }

    @SuppressWarnings("unchecked")
    private static <T> T get(Object target, String field) throws Exception {
        Field f = RolloutSaga.class.getDeclaredField(field);
        f.setAccessible(true);
        return (T) f.get(target);
    }
}
