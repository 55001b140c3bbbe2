package com.ultracloud.deployer.gateway.agent;

import com.ultracloud.deployer.machine.api.rollout.ActivationSettings;
import com.ultracloud.deployer.machine.api.rollout.HealthCheck;
import com.ultracloud.deployer.machine.api.rollout.RollbackPolicy;
import com.ultracloud.deployer.machine.api.rollout.TargetSystem;
import com.ultracloud.deployer.projection.inventory.MachineDetail;
import com.ultracloud.deployer.protocol.agent.DesiredSystem;

import java.util.List;
import java.util.Optional;

/**
 * The machine's desired system (its rollout field in the inventory) as the agent's wire record, and the ETag of
 * it. The mappings, one each (docs/api.md, "Agent API"):
 * <ul>
 *   <li>system: a store path stays a store path; a flake target's {@code attribute} becomes the wire's bare
 *       {@code configuration}: {@code nixosConfigurations.<name>} (the intent's and the install plan's form) or
 *       a bare {@code <name>} both answer {@code configuration: <name>}, which the agent builds as
 *       {@code <flake>#nixosConfigurations.<name>.config.system.build.toplevel}. Any other attribute cannot be
 *       said on the wire (the REST API refuses it; see {@link #configurationOf});</li>
 *   <li>rollback: {@code automatic} → {@code automatic}, {@code manual} (the intent's word: leave the failed
 *       system for an operator) → the wire's {@code none};</li>
 *   <li>health check: {@code none} → no check; {@code http} → {@code http} with {@code url} and
 *       {@code expectStatus} (default 200); {@code systemd} → {@code systemd} with {@code units};
 *       {@code command} (one string) → {@code command} with argv {@code ["/bin/sh", "-c", <command>]}.</li>
 * </ul>
 * The ETag is strong: {@code "<deploymentId>:<generation>"}. The Machine aggregate refuses another system or
 * other settings under a generation it already holds, so the pair names one answer.
 */
public final class DesiredSystems {

    public static final String NIXOS_CONFIGURATIONS = "nixosConfigurations.";
    /**
     * The wire's deployment id of the first-boot target ({@link AgentTargets}): the installed system, which no
     * host deployment owns. A report about it is a report about the installed system (no deployment on the write
     * side); no host deployment may take this id.
     */
    public static final String FIRST_BOOT = "first-boot";

    private DesiredSystems() {
    }

    /** The ETag of what the machine should run now, or empty when nothing is desired. */
    static Optional<String> etag(MachineDetail machine) {
        MachineDetail.Rollout r = machine == null ? null : machine.rollout();
        if (r == null || !r.desired()) {
            return Optional.empty();
        }
        return Optional.of(tag(r.deploymentId(), r.generation()));
    }

    static String tag(String deploymentId, long generation) {
        return "\"" + deploymentId + ":" + generation + "\"";
    }

    /** The wire record of the machine's desired system, or empty when nothing is desired. */
    static Optional<DesiredSystem> of(MachineDetail machine) {
        MachineDetail.Rollout r = machine == null ? null : machine.rollout();
        if (r == null || !r.desired()) {
            return Optional.empty();
        }
        ActivationSettings a = r.activation();
        return Optional.of(new DesiredSystem(r.deploymentId(), r.generation(), system(r.target()),
                a.strategy().wireName(), a.activationTimeoutSeconds(), a.confirmTimeoutSeconds(),
                healthCheck(a.healthCheck()), a.rollbackPolicy() == RollbackPolicy.MANUAL
                ? DesiredSystem.ROLLBACK_NONE : DesiredSystem.ROLLBACK_AUTOMATIC, null));
    }

    static DesiredSystem.SystemTarget system(TargetSystem t) {
        if (t.storePath() != null) {
            return DesiredSystem.SystemTarget.storePath(t.storePath());
        }
        String configuration = configurationOf(t.attribute())
                .orElseThrow(() -> new IllegalStateException("the attribute " + t.attribute()
                        + " names no nixosConfigurations entry the agent can build"));
        return DesiredSystem.SystemTarget.flake(t.flake(), configuration);
    }

    /**
     * The wire's bare configuration name for a flake attribute: {@code nixosConfigurations.cp-1} or {@code cp-1}
     * → {@code cp-1}; empty for anything else (a nested attribute, a quoted one). {@code {hostname}} is allowed in
     * the name: it is a deployment's per-host placeholder, resolved before a machine's desired system is set.
     */
    public static Optional<String> configurationOf(String attribute) {
        if (attribute == null || attribute.isBlank()) {
            return Optional.empty();
        }
        String name = attribute.startsWith(NIXOS_CONFIGURATIONS) ? attribute.substring(NIXOS_CONFIGURATIONS.length()) : attribute;
        if (name.isEmpty() || name.contains(".") || name.contains("#") || name.contains("\"") || name.contains(" ")) {
            return Optional.empty();
        }
        return Optional.of(name);
    }

    static DesiredSystem.HealthCheck healthCheck(HealthCheck h) {
        if (h == null || "none".equals(h.type())) {
            return null;
        }
        return switch (h.type()) {
            case "http" -> DesiredSystem.HealthCheck.http(h.url(), h.expectStatus() == null ? 200 : h.expectStatus());
            case "systemd" -> DesiredSystem.HealthCheck.systemd(h.units());
            case "command" -> DesiredSystem.HealthCheck.command(List.of("/bin/sh", "-c", h.command()));
            default -> throw new IllegalStateException("unknown health check type " + h.type());
        };
    }
}
