package com.ultracloud.deployer.gateway.audit;

import com.ultracloud.deployer.gateway.problem.FieldError;
import com.ultracloud.deployer.gateway.problem.InvalidRequestException;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentEvent;
import com.ultracloud.deployer.machine.api.event.MachineEvent;
import com.ultracloud.deployer.machine.api.intent.ClusterIntentImported;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which events a stream client asked for: one machine's, one aggregate type's, some event types (any of them); all
 * when none is given. Checked against the domain's names, so a typo is a 400 naming the field, not a silent stream.
 */
record StreamFilter(String machine, String aggregateType, Set<String> types) {

    static final List<String> AGGREGATE_TYPES = List.of("Machine", "ClusterIntent", "HostDeployment");

    static StreamFilter of(String machine, String aggregateType, List<String> types) {
        List<FieldError> errors = new ArrayList<>();
        if (machine != null && machine.isBlank()) {
            errors.add(new FieldError("machine", "must be a machine id"));
        }
        if (aggregateType != null && !AGGREGATE_TYPES.contains(aggregateType)) {
            errors.add(new FieldError("aggregateType", "must be one of " + AGGREGATE_TYPES));
        }
        if (machine != null && aggregateType != null && !aggregateType.equals("Machine")) {
            errors.add(new FieldError("aggregateType", "a machine's events are Machine events"));
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (String list : types == null ? List.<String>of() : types) {
            for (String type : list.split(",")) {
                if (type.isBlank()) {
                    continue;
                }
                if (!isEventType(type.strip())) {
                    errors.add(new FieldError("type", "'" + type.strip() + "' is not an event type (e.g. MachineDiscovered, "
                            + "ClusterIntentImported, HostDeploymentStarted; docs/api.md lists them)"));
                }
                wanted.add(type.strip());
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("invalid event stream filter: " + errors.size() + " error(s)", errors);
        }
        return new StreamFilter(machine, machine != null ? "Machine" : aggregateType, Set.copyOf(wanted));
    }

    boolean matches(ExportedEvent e) {
        return (aggregateType == null || aggregateType.equals(e.aggregateType()))
                && (machine == null || machine.equals(e.aggregateId()))
                && (types.isEmpty() || types.contains(e.type()));
    }

    private static boolean isEventType(String name) {
        if (!name.matches("[A-Z][A-Za-z]{1,80}")) {
            return false;
        }
        return isA("com.ultracloud.deployer.machine.api.event." + name, MachineEvent.class)
                || isA("com.ultracloud.deployer.machine.api.deployment." + name, HostDeploymentEvent.class)
                || name.equals(ClusterIntentImported.class.getSimpleName());
    }

    private static boolean isA(String className, Class<?> kind) {
        try {
            Class<?> c = Class.forName(className, false, StreamFilter.class.getClassLoader());
            return kind.isAssignableFrom(c) && !c.isInterface();
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
