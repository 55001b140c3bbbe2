package com.ultracloud.deployer.gateway.credentials;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.gateway.config.DeployerProperties;
import com.ultracloud.deployer.gateway.machine.MachineHistory;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.NodeAssignment;
import com.ultracloud.deployer.gateway.enrollment.ClusterIntents;
import com.ultracloud.deployer.machine.api.intent.CurrentIntent;
import com.ultracloud.deployer.machine.domain.credentials.IssuedNodeCredentials;
import com.ultracloud.deployer.machine.domain.credentials.KeySealer;
import com.ultracloud.deployer.machine.domain.credentials.NodeCredentialIssuer;
import com.ultracloud.deployer.machine.domain.credentials.NodeIdentity;
import com.ultracloud.deployer.machine.domain.plan.InstallPlanRenderer;
import com.ultracloud.deployer.machine.domain.plan.PlanRendering;
import com.ultracloud.deployer.machine.saga.InstallPlanner;
import com.ultracloud.deployer.projection.inventory.MachineDetail;
import com.ultracloud.deployer.protocol.BootstrapPlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The install saga's {@link InstallPlanner}: reads the machine's assignment and facts from its events
 * and the current intent through the query bus, renders the plan ({@link InstallPlanRenderer}), issues
 * the node's credentials ({@link NodeCredentialIssuer}, signed by the cluster CA) and seals the private
 * keys with the KEK. {@link Planned#keep()} stores them in {@code sealed_secret} — replacing, and so
 * shredding, any earlier ones — and records the certificate's serial in {@code node_certificate} (revoking
 * the machine's earlier ones); the saga runs it in its transaction once the machine accepted the plan, so
 * if the machine refuses it or the saga's step fails, nothing is stored.
 */
@Component
class GatewayInstallPlanner implements InstallPlanner {

    private static final Logger log = LoggerFactory.getLogger(GatewayInstallPlanner.class);

    private final MachineHistory history;
    private final ClusterIntents intents;
    private final ClusterCaStore ca;
    private final KeySealer sealer;
    private final SealedSecretStore secrets;
    private final NodeCertificates certificates;
    private final DeployerProperties properties;
    private final ObjectMapper json;
    private final Clock clock;

    GatewayInstallPlanner(MachineHistory history, ClusterIntents intents, ClusterCaStore ca, KeySealer sealer,
                          SealedSecretStore secrets, NodeCertificates certificates, DeployerProperties properties,
                          ObjectMapper json, Clock clock) {
        this.history = history;
        this.intents = intents;
        this.ca = ca;
        this.sealer = sealer;
        this.secrets = secrets;
        this.certificates = certificates;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public Outcome plan(MachineId machineId, int round) {
        MachineDetail machine = history.current(machineId).orElse(null);
        if (machine == null) {
            return new Refused("machine " + machineId + " has no events", List.of());
        }
        Optional<CurrentIntent> intent = currentIntent();
        if (intent.isEmpty()) {
            log.info("install plan of machine {} deferred: no cluster intent has been imported", machineId);
            return new Deferred("no cluster intent has been imported");
        }
        NodeAssignment assignment = machine.nodeClass() == null ? null : new NodeAssignment(machine.nodeId(),
                machine.hostname(), machine.nodeClass(), machine.pool(), machine.labels(), null,
                machine.assignment() == null ? null : machine.assignment().intentGeneration());
        String planId = "plan-" + UUID.randomUUID();
        String imageUrl = imageUrl(intent.orElse(null));
        PlanRendering rendering = InstallPlanRenderer.render(new InstallPlanRenderer.Input(planId,
                intent.map(CurrentIntent::state).orElse(null), intent.map(CurrentIntent::generation).orElse(null),
                machineId.toString(), assignment, machine.hardware(), imageUrl));
        if (rendering instanceof PlanRendering.Refused refused) {
            log.info("no install plan for machine {}: {}", machineId, refused.reason());
            return new Refused(refused.reason(), refused.problems());
        }
        PlanRendering.Rendered rendered = (PlanRendering.Rendered) rendering;
        NodeIdentity node;
        try {
            node = new NodeIdentity(machineId, rendered.assignment().nodeId(), rendered.assignment().hostname(),
                    rendered.fqdn(), rendered.staticAddresses());
        } catch (IllegalArgumentException e) {
            return new Refused("the node's identity cannot go into a certificate", List.of(e.getMessage()));
        }
        IssuedNodeCredentials issued = new NodeCredentialIssuer(ca.ca()).issue(node,
                properties.credentials().tlsValidity(), properties.credentials().installTokenTtl(), clock);
        BootstrapPlan withoutSecrets = new BootstrapPlan(rendered.assignment(), null, rendered.plan());
        SealedSecret sealed = new SealedSecret(machineId, planId, issued.seal(sealer), issued.tls().certificatePem(),
                issued.tls().caCertificatePem(), issued.sshHostKey().publicKey(), issued.installToken().hash(),
                issued.installToken().expiresAt(), false, write(withoutSecrets), null,
                InstallTokenGuard.sealProgressToken(machineId, sealer));
        Runnable keep = () -> {
            secrets.replace(sealed);
            certificates.issued(machineId, planId, issued.tls().serial(), issued.tls().fingerprint(), issued.tls().notAfter());
            log.info("install plan {} (attempt round {}) for machine {}: root device {}", planId, round, machineId,
                    rendered.plan().rootDevice().path());
        };
        return new Planned(issued.publicFacts(), rendered.plan(), keep);
    }

    /** The intent in force, read from the event store (as enrollment reads it): never a lagging projection. */
    private Optional<CurrentIntent> currentIntent() {
        return intents.current();
    }

    private String imageUrl(CurrentIntent intent) {
        String configured = properties.install().imageUrl();
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        if (intent != null && intent.state().cluster() != null && intent.state().cluster().deployerUrl() != null) {
            return intent.state().cluster().deployerUrl().replaceAll("/+$", "") + "/images/installer";
        }
        return null;
    }

    private String write(BootstrapPlan plan) {
        try {
            return json.writeValueAsString(plan);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise plan " + plan.plan().planId(), e);
        }
    }
}
