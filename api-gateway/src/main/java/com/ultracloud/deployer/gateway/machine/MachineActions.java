package com.ultracloud.deployer.gateway.machine;

import com.ultracloud.deployer.machine.api.HardwareRequirements;
import com.ultracloud.deployer.machine.api.LifecycleAction;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.NodeAssignment;
import com.ultracloud.deployer.machine.api.command.*;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The operator verbs of {@code POST /api/v1/machines/{id}/{action}}, each mapped to its command in
 * one table (as Ironic maps API verbs to state-machine events), instead of one controller method each.
 */
final class MachineActions {

    /** What building a command may need beyond the request: settings and the intent in force. */
    interface Context {
        int defaultAttemptLimit();

        /** The minimum traits to inspect against: of {@code nodeClass}, or of the matching class. */
        HardwareRequirements inspectionRequirements(MachineId id, String nodeClass);
    }

    /** Turns the request (id, parsed body, expected version) into the command. */
    interface CommandFactory<B> {
        Object command(MachineId id, B body, Long expectedVersion, Context context);
    }

    record Binding<B>(LifecycleAction action, Class<B> bodyType, CommandFactory<B> factory) {
        Object command(MachineId id, Object body, Long expectedVersion, Context context) {
            return factory.command(id, bodyType.cast(body), expectedVersion, context);
        }
    }

    private static final Map<String, Binding<?>> BY_NAME = new LinkedHashMap<>();

    static {
        bind(LifecycleAction.INSPECT, ActionRequests.Inspect.class, (id, b, v, c) ->
                new InspectMachine(id, c.inspectionRequirements(id, b.nodeClass()), v));
        // the assignment comes from the matching node or rule unless given: built by Enrollments.commission
        bind(LifecycleAction.COMMISSION, ActionRequests.Commission.class, (id, b, v, c) -> new CommissionMachine(id,
                new NodeAssignment(b.nodeId(), b.hostname(), b.nodeClass(), b.pool(), b.labels(), null, null), v));
        bind(LifecycleAction.REQUEST_INSTALL, ActionRequests.Install.class, (id, b, v, c) ->
                new RequestInstall(id, b.attemptLimit() == null ? c.defaultAttemptLimit() : b.attemptLimit(), v));
        // deployer.bootstrap.rebind=operator: the new installer key gets the plan's secrets only once approved
        bind(LifecycleAction.APPROVE_INSTALLER, ActionRequests.ApproveInstaller.class, (id, b, v, c) ->
                new ApproveInstallerRebind(id, b.installerKey(), v));
        bind(LifecycleAction.DRAIN, ActionRequests.None.class, (id, b, v, c) -> new DrainMachine(id, v));
        bind(LifecycleAction.UNDRAIN, ActionRequests.None.class, (id, b, v, c) -> new UndrainMachine(id, v));
        bind(LifecycleAction.COMPLETE_DRAIN, ActionRequests.None.class, (id, b, v, c) -> new CompleteDrain(id, v));
        bind(LifecycleAction.REPROVISION, ActionRequests.Reprovision.class, (id, b, v, c) ->
                new ReprovisionMachine(id, Boolean.TRUE.equals(b.force()), v));
        bind(LifecycleAction.RESCUE, ActionRequests.None.class, (id, b, v, c) -> new RescueMachine(id, v));
        bind(LifecycleAction.EXIT_RESCUE, ActionRequests.None.class, (id, b, v, c) -> new ExitRescue(id, v));
        bind(LifecycleAction.MARK_FAILED, ActionRequests.MarkFailed.class, (id, b, v, c) ->
                new MarkMachineFailed(id, b.reason(), v));
        bind(LifecycleAction.RECOVER, ActionRequests.None.class, (id, b, v, c) -> new RecoverMachine(id, v));
        bind(LifecycleAction.RETIRE, ActionRequests.None.class, (id, b, v, c) -> new RetireMachine(id, v));
    }

    private MachineActions() {
    }

    private static <B> void bind(LifecycleAction action, Class<B> body, CommandFactory<B> factory) {
        String name = action.apiName().orElseThrow(() -> new IllegalStateException(action + " has no API name"));
        BY_NAME.put(name, new Binding<>(action, body, factory));
    }

    static Optional<Binding<?>> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    static java.util.Set<String> names() {
        return BY_NAME.keySet();
    }
}
