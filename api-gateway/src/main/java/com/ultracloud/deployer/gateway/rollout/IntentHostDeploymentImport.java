package com.ultracloud.deployer.gateway.rollout;

import com.ultracloud.deployer.gateway.machine.MachineCommands;
import com.ultracloud.deployer.gateway.machine.RequestContext;
import com.ultracloud.deployer.machine.api.deployment.CreateHostDeployment;
import com.ultracloud.deployer.machine.api.intent.ClusterIntentImported;
import com.ultracloud.deployer.machine.api.intent.ClusterState;
import com.ultracloud.deployer.machine.domain.rollout.IntentHostDeployments;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The intent's {@code hostDeployments} become host deployments when the intent is imported: one
 * {@code CreateHostDeployment} per entry, with the id and spec of {@link IntentHostDeployments} and a generation
 * from the shared counter. Idempotent: an unchanged entry in a later import names the same deployment, whose
 * create is a no-op; a changed entry is a new deployment (which supersedes the old one on shared machines).
 * <p>
 * Sent in the event's unit of work (with the processor's token), so a crash loses both or neither; a create the
 * write side refuses is logged and skipped, it does not hold up the next entries. Replayed events are not acted
 * on ({@link DisallowReplay}).
 */
@Component
@ProcessingGroup(IntentHostDeploymentImport.PROCESSING_GROUP)
class IntentHostDeploymentImport {

    static final String PROCESSING_GROUP = "intent-host-deployments";
    private static final Logger log = LoggerFactory.getLogger(IntentHostDeploymentImport.class);

    private final MachineCommands commands;
    private final DeploymentGenerations generations;

    IntentHostDeploymentImport(MachineCommands commands, DeploymentGenerations generations) {
        this.commands = commands;
        this.generations = generations;
    }

    @EventHandler
    @DisallowReplay
    void on(ClusterIntentImported event) {
        for (ClusterState.HostDeployment d : event.state().hostDeployments()) {
            CreateHostDeployment create = new CreateHostDeployment(IntentHostDeployments.id(d), generations.next(),
                    IntentHostDeployments.spec(d));
            try {
                commands.dispatch(create, RequestContext.system("intent-import"));
            } catch (RuntimeException e) {
                log.warn("host deployment {} of intent generation {} was not created: {}", create.deploymentId(),
                        event.generation(), e.getMessage());
            }
        }
    }

    /** Nothing to clear: replayed imports are skipped, so no deployment is created twice. */
    @ResetHandler
    void reset() {
        log.info("intent host-deployment import reset: replayed imports are not acted on");
    }
}
