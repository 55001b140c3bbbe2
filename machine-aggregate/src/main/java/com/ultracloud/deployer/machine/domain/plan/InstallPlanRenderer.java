package com.ultracloud.deployer.machine.domain.plan;

import com.ultracloud.deployer.machine.api.NodeAssignment;
import com.ultracloud.deployer.machine.api.intent.ClusterState;
import com.ultracloud.deployer.protocol.disk.RootDeviceHintException;
import com.ultracloud.deployer.protocol.disk.RootDeviceHints;
import com.ultracloud.deployer.protocol.disk.RootDeviceResolution;
import com.ultracloud.deployer.protocol.disk.RootDeviceResolver;
import com.ultracloud.deployer.protocol.BootstrapPlan;
import com.ultracloud.deployer.protocol.InstallPlan;
import com.ultracloud.deployer.protocol.MachineInventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Renders a machine's install plan (DESIGN §8.1) from the cluster intent, its {@link NodeAssignment}
 * and the hardware facts its installer reported:
 * <ol>
 *   <li>nodeClass → installProfile → diskPolicy, network and system;</li>
 *   <li>the root-device hints — the node's own when the intent gives the fixed node some, else the
 *       disk policy's — ({@code {hint, operator, values}} with camelCase names, as the schema exports
 *       them) become Ironic's snake_case expressions ({@code size: ">= 800"}, {@code model: "<in> Micron"},
 *       {@code serial: "<or> A <or> B"}) and are resolved with {@link RootDeviceResolver} against the
 *       disks in the installer's reported order: the plan names the chosen disk by its stable
 *       by-id/by-path path, never {@code /dev/sdX}, and its reason says whose hints chose it; layout and
 *       wipe always come from the disk policy;</li>
 *   <li>{@code {hostname}} in the system attribute is replaced by the node's hostname; the attribute must be
 *       {@code nixosConfigurations.<name>}, and the plan carries both the full path (for {@code nix build}) and
 *       the bare name (for {@code nixos-install --flake <flake>#<name>});</li>
 *   <li>the network is static when the intent lists the node under {@code nodes} with addresses
 *       (matched by node id, then hostname, then machine id), else DHCP on the profile's network; the
 *       FQDN's domain is that network's {@code domain}, else the cluster's.</li>
 * </ol>
 * When anything is missing or no disk qualifies there is no plan: {@link PlanRendering.Refused} says
 * why, listing every problem (for the disk, why each one was rejected). Pure and thread-safe.
 */
public final class InstallPlanRenderer {

    /** Placeholder in a profile's system attribute. */
    public static final String HOSTNAME_PLACEHOLDER = "{hostname}";

    private static final Pattern CAMEL = Pattern.compile("([a-z0-9])([A-Z])");

    private InstallPlanRenderer() {
    }

    /** What a rendering needs. {@code intent} may be null (nothing imported yet: refused). */
    public record Input(String planId, ClusterState intent, Long intentGeneration, String machineId,
                        NodeAssignment assignment, MachineInventory facts, String imageUrl) {
    }

    public static PlanRendering render(Input in) {
        Objects.requireNonNull(in, "input");
        List<String> problems = new ArrayList<>();
        ClusterState intent = in.intent();
        NodeAssignment a = in.assignment();
        if (intent == null) {
            return new PlanRendering.Refused("no cluster intent has been imported", List.of("import the cluster intent first"));
        }
        if (a == null || blank(a.hostname()) || blank(a.nodeClass())) {
            return new PlanRendering.Refused("the machine has no node assignment", List.of("commission the machine first"));
        }
        if (in.facts() == null || in.facts().disks().isEmpty()) {
            problems.add("the installer reported no disks");
        }
        Optional<ClusterState.NodeClass> nodeClass = intent.nodeClasses().stream()
                .filter(c -> a.nodeClass().equals(c.name())).findFirst();
        if (nodeClass.isEmpty()) {
            return refused("node class '" + a.nodeClass() + "' is not in intent generation " + in.intentGeneration(), problems);
        }
        String profileName = nodeClass.get().installProfile();
        Optional<ClusterState.InstallProfile> profile = intent.installProfiles().stream()
                .filter(p -> Objects.equals(profileName, p.name())).findFirst();
        if (profile.isEmpty()) {
            return refused("install profile '" + profileName + "' of node class '" + a.nodeClass() + "' does not exist", problems);
        }
        ClusterState.InstallProfile p = profile.get();
        Optional<ClusterState.DiskPolicy> diskPolicy = intent.diskPolicies().stream()
                .filter(d -> Objects.equals(p.diskPolicy(), d.name())).findFirst();
        if (diskPolicy.isEmpty()) {
            return refused("disk policy '" + p.diskPolicy() + "' of install profile '" + p.name() + "' does not exist", problems);
        }
        Optional<ClusterState.Network> network = intent.networks().stream()
                .filter(n -> Objects.equals(p.network(), n.name())).findFirst();
        if (p.network() != null && network.isEmpty()) {
            problems.add("network '" + p.network() + "' of install profile '" + p.name() + "' does not exist");
        }
        if (p.system() == null || blank(p.system().flake()) || blank(p.system().attribute())) {
            problems.add("install profile '" + p.name() + "' names no system (flake and attribute)");
        }
        String attribute = p.system() == null || blank(p.system().attribute()) ? null
                : p.system().attribute().replace(HOSTNAME_PLACEHOLDER, a.hostname());
        Optional<String> configuration = InstallPlan.SystemRef.configurationOf(attribute);
        if (attribute != null && configuration.isEmpty()) {
            problems.add("install profile '" + p.name() + "': system attribute '" + attribute
                    + "' is not nixosConfigurations.<name>, the only kind of system nixos-install installs");
        }

        Optional<ClusterState.Node> node = explicitNode(intent, a, in.machineId());
        List<ClusterState.Hint> nodeHints = node.map(ClusterState.Node::rootDeviceHints).orElse(null);
        String hintSource = nodeHints != null
                ? "node '" + node.get().nodeId() + "'"
                : "disk policy '" + diskPolicy.get().name() + "'";
        RootDeviceHints hints;
        try {
            hints = RootDeviceHints.parse(ironicHints(nodeHints != null ? nodeHints : diskPolicy.get().rootDeviceHints(),
                    problems));
        } catch (RootDeviceHintException e) {
            e.problems().forEach(pr -> problems.add(hintSource + ": hint " + pr.hint() + ": " + pr.message()));
            hints = null;
        }
        if (!problems.isEmpty()) {
            return refused("install profile '" + p.name() + "' cannot be applied", problems);
        }
        RootDeviceResolution root = RootDeviceResolver.resolve(in.facts().disks(), hints);
        if (!root.found()) {
            List<String> why = new ArrayList<>();
            root.rejections().forEach(r -> why.add(r.describe()));
            return new PlanRendering.Refused("no disk matches the root-device hints of " + hintSource + ": "
                    + root.summary(), why);
        }
        String rootReason = (nodeHints != null
                ? "Hints of node '" + node.get().nodeId() + "' (in place of disk policy '" + diskPolicy.get().name() + "'): "
                : "Hints of disk policy '" + diskPolicy.get().name() + "': ") + root.summary();

        String hostname = a.hostname();
        ClusterState.Network net = network.orElse(null);
        String domain = net != null && !blank(net.domain()) ? net.domain()
                : intent.cluster() == null ? null : intent.cluster().domain();
        String fqdn = blank(domain) ? null : hostname + "." + domain;
        List<InstallPlan.Address> addresses = new ArrayList<>();
        List<String> staticAddresses = new ArrayList<>();
        node.ifPresent(n -> {
            if (n.addresses() != null) {
                for (ClusterState.NodeAddress addr : n.addresses()) {
                    Optional<ClusterState.Network> on = intent.networks().stream()
                            .filter(nw -> nw != null && Objects.equals(nw.name(), addr.network())).findFirst();
                    Integer prefix = addr.prefixLength() != null ? addr.prefixLength()
                            : on.map(ClusterState.Network::prefixLength).orElse(null);
                    Integer mtu = on.map(ClusterState.Network::mtu).orElse(null);
                    addresses.add(new InstallPlan.Address(addr.network(),
                            prefix == null ? addr.address() : addr.address() + "/" + prefix, addr.mac(), addr.interfaceName(),
                            mtu));
                    staticAddresses.add(addr.address());
                }
            }
        });
        InstallPlan.Network planNetwork = new InstallPlan.Network(addresses.isEmpty() ? "dhcp" : "static", hostname,
                domain, net == null ? null : net.name(), addresses, net == null ? null : net.gateway(),
                net == null ? List.of() : net.dns(), net == null ? null : net.mtu());

        InstallPlan plan = new InstallPlan(in.planId(), in.intentGeneration(), p.name(),
                new InstallPlan.SystemRef(p.system().flake(), attribute, configuration.orElseThrow()),
                new InstallPlan.RootDevice(root.path(), root.matchedHints(), rootReason,
                        root.rejections().stream().map(RootDeviceResolution.Rejection::describe).toList()),
                diskPolicy.get().layout(), diskPolicy.get().wipe(), planNetwork, in.imageUrl(),
                p.kernelParams() == null ? List.of() : p.kernelParams());
        // failureDomain is optional: a pool without one (or no pool at all) gives a null failure domain
        String failureDomain = intent.pools().stream().filter(pool -> Objects.equals(pool.name(), a.pool()))
                .findFirst().map(ClusterState.Pool::failureDomain).orElse(null);
        BootstrapPlan.Assignment assignment = new BootstrapPlan.Assignment(blank(a.nodeId()) ? hostname : a.nodeId(),
                hostname, a.nodeClass(), a.pool(), a.labels(), failureDomain);
        return new PlanRendering.Rendered(plan, assignment, fqdn, staticAddresses);
    }

    /**
     * The schema's hints ({@code {hint: "wwnWithExtension", operator: "s==", values: ["0x5"]}}) as the
     * snake_case name → expression map {@link RootDeviceHints#parse} takes. Operators are checked there;
     * what cannot be expressed at all (several values without {@code <or>}, a size or rotational hint with
     * a string operator) is added to {@code problems}.
     */
    public static Map<String, Object> ironicHints(List<ClusterState.Hint> hints, List<String> problems) {
        Map<String, Object> raw = new LinkedHashMap<>();
        if (hints == null) {
            return raw;
        }
        for (ClusterState.Hint h : hints) {
            if (h == null || blank(h.hint())) {
                problems.add("a root-device hint has no name");
                continue;
            }
            String name = CAMEL.matcher(h.hint().strip()).replaceAll("$1_$2").toLowerCase(Locale.ROOT);
            List<String> values = h.values() == null ? List.of() : h.values();
            String op = h.operator() == null ? "" : h.operator().strip();
            if (values.isEmpty()) {
                problems.add("hint " + name + ": has no value");
                continue;
            }
            if (raw.containsKey(name)) {
                problems.add("hint " + name + ": given twice");
                continue;
            }
            if (name.equals(RootDeviceHints.ROTATIONAL)) {
                if (values.size() != 1 || !(op.isEmpty() || op.equals("==") || op.equals("s=="))) {
                    problems.add("hint rotational: takes one boolean value and no operator but '==', got " + op + " " + values);
                    continue;
                }
                raw.put(name, values.get(0));
            } else if (name.equals(RootDeviceHints.SIZE)) {
                if (values.size() != 1) {
                    problems.add("hint size: takes one value, got " + values);
                    continue;
                }
                raw.put(name, op.isEmpty() ? values.get(0) : op + " " + values.get(0)); // the parser checks the operator
            } else if (op.equals("<or>")) {
                raw.put(name, "<or> " + String.join(" <or> ", values));
            } else {
                if (values.size() != 1) {
                    problems.add("hint " + name + ": several values need the <or> operator, got " + op + " " + values);
                    continue;
                }
                raw.put(name, op.isEmpty() ? values.get(0) : op + " " + values.get(0));
            }
        }
        return raw;
    }

    private static Optional<ClusterState.Node> explicitNode(ClusterState intent, NodeAssignment a, String machineId) {
        return intent.nodes().stream().filter(n -> !blank(a.nodeId()) && a.nodeId().equals(n.nodeId())).findFirst()
                .or(() -> intent.nodes().stream().filter(n -> a.hostname().equals(n.hostname())).findFirst())
                .or(() -> intent.nodes().stream().filter(n -> machineId != null && machineId.equals(n.machineId())).findFirst());
    }

    private static PlanRendering refused(String reason, List<String> problems) {
        return new PlanRendering.Refused(reason, problems);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
