package com.ultracloud.deployer.machine.domain.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.ultracloud.deployer.machine.api.deployment.DrainPolicy;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentSpec;
import com.ultracloud.deployer.machine.api.deployment.MachineSelector;
import com.ultracloud.deployer.machine.api.deployment.MaxUnavailable;
import com.ultracloud.deployer.machine.api.intent.ClusterState;
import com.ultracloud.deployer.machine.api.rollout.ActivationSettings;
import com.ultracloud.deployer.machine.api.rollout.ActivationStrategy;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;
import com.ultracloud.deployer.machine.api.rollout.HealthCheck;
import com.ultracloud.deployer.machine.api.rollout.RollbackPolicy;
import com.ultracloud.deployer.machine.api.rollout.TargetSystem;
import com.ultracloud.deployer.machine.domain.intent.IntentDigest;

import java.util.Locale;

/**
 * The intent's {@code hostDeployments} (nix/lib/cluster-schema.nix) as HostDeployment specs and ids, for the
 * import to send {@code CreateHostDeployment}s with. One place for the defaults the schema leaves open:
 *
 * <ul>
 *   <li>{@code drainPolicy} {@code drain} is drain-first with {@value #DRAIN_TIMEOUT_SECONDS} s to drain;</li>
 *   <li>the confirm timeout is the health check's {@code timeoutSeconds}, else {@value #CONFIRM_TIMEOUT_SECONDS} s;</li>
 *   <li>the strategy is {@code switch} (the agent decides on a reboot when the kernel or initrd changes);</li>
 *   <li>the failure threshold is {@value #FAILURE_THRESHOLD}: the first failed machine stops the rollout;</li>
 *   <li>batch size and max unavailable default to 1, the activation timeout to 600 s, rollback to automatic,
 *       as in the schema.</li>
 * </ul>
 *
 * The id is {@code intent-<name>-<12 hex digits of the entry's canonical digest>}: re-importing an unchanged
 * entry (in a later intent generation) names the same deployment, whose create is then a no-op; a changed
 * entry is a new deployment, which supersedes the old one on the machines both cover.
 */
public final class IntentHostDeployments {

    public static final int DRAIN_TIMEOUT_SECONDS = 1800;
    public static final int CONFIRM_TIMEOUT_SECONDS = 300;
    public static final int ACTIVATION_TIMEOUT_SECONDS = 600;
    public static final int FAILURE_THRESHOLD = 1;

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private IntentHostDeployments() {
    }

    public static HostDeploymentSpec spec(ClusterState.HostDeployment d) {
        ClusterState.Selector s = d.selector();
        MachineSelector selector = s == null ? new MachineSelector(null, null, null, null, null)
                : new MachineSelector(s.nodeClasses(), s.pools(), s.labels(), s.hostnames(), null);
        TargetSystem system = d.system() == null ? new TargetSystem(null, null, null)
                : TargetSystem.flake(d.system().flake(), d.system().attribute());
        DrainPolicy drain = "none".equals(d.drainPolicy()) ? DrainPolicy.NONE : DrainPolicy.drainFirst(DRAIN_TIMEOUT_SECONDS);
        ClusterState.HealthCheck h = d.healthCheck();
        HealthCheck check = h == null || h.type() == null || "none".equals(h.type()) ? HealthCheck.NONE
                : new HealthCheck(h.type(), h.url(), h.expectStatus(), null, h.units());
        int confirm = h != null && h.timeoutSeconds() != null ? h.timeoutSeconds() : CONFIRM_TIMEOUT_SECONDS;
        ActivationSettings activation = new ActivationSettings(ActivationStrategy.SWITCH,
                orDefault(d.activationTimeoutSeconds(), ACTIVATION_TIMEOUT_SECONDS), confirm, check,
                d.rollbackPolicy() == null ? RollbackPolicy.AUTOMATIC : RollbackPolicy.fromWire(d.rollbackPolicy()));
        return new HostDeploymentSpec(selector, system, orDefault(d.batchSize(), 1),
                MaxUnavailable.count(orDefault(d.maxUnavailable(), 1)), drain, activation, FAILURE_THRESHOLD);
    }

    public static DeploymentId id(ClusterState.HostDeployment d) {
        String name = d.name() == null ? "unnamed" : d.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-");
        if (name.length() > 80) {
            name = name.substring(0, 80);
        }
        byte[] canonical;
        try {
            canonical = JSON.writeValueAsBytes(d);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a host deployment of the intent cannot be written as JSON", e);
        }
        return DeploymentId.of("intent-" + name + "-" + IntentDigest.sha256(canonical).substring(0, 12));
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
