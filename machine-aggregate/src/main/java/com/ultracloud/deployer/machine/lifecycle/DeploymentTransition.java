package com.ultracloud.deployer.machine.lifecycle;

import com.ultracloud.deployer.machine.api.deployment.DeploymentAction;
import com.ultracloud.deployer.machine.api.deployment.DeploymentState;

import java.util.List;

/**
 * One row of the host-deployment table: from {@code from} (null: not created yet), {@code action} under
 * {@code when} emits {@code events}, in order, and leads to {@code to}.
 */
public record DeploymentTransition(DeploymentState from, DeploymentAction action, DeploymentCondition when,
                                   List<Class<?>> events, DeploymentState to, String note) {
    public DeploymentTransition {
        events = List.copyOf(events);
    }

    public boolean createsDeployment() {
        return from == null;
    }

    public List<String> eventNames() {
        return events.stream().map(Class::getSimpleName).toList();
    }
}
