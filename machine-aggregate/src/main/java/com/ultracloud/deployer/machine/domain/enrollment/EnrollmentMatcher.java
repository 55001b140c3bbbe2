package com.ultracloud.deployer.machine.domain.enrollment;

import com.ultracloud.deployer.machine.api.HardwareRequirements;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.NodeAssignment;
import com.ultracloud.deployer.machine.api.intent.ClusterState;
import com.ultracloud.deployer.machine.api.intent.ClusterState.*;
import com.ultracloud.deployer.machine.domain.MachineFingerprint;
import com.ultracloud.deployer.machine.domain.intent.HostnamePattern;
import com.ultracloud.deployer.protocol.MachineInventory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * Matches a machine against the cluster intent (DESIGN §4): explicit {@code nodes} first (by
 * fingerprint: the real SMBIOS UUID or the lowest permanent MAC), then the ordered
 * {@code enrollmentRules}, first match wins. A rule matches when every selector it gives holds,
 * it has capacity left ({@code maxCount}, counting machines it already assigned) and a hostname is
 * free. The result explains itself: the winner, and for every other rule the first selector that failed.
 */
public final class EnrollmentMatcher {

    private static final long GIB = 1L << 30;
    private static final int MAX_INDEX = 100_000;
    /** How many hostnames a "maxCount reached" explanation names before it says how many more there are. */
    static final int SHOWN_HOLDERS = 10;

    private EnrollmentMatcher() {
    }

    /**
     * @param intent     the cluster intent (a validated document)
     * @param generation its generation, recorded in the assignment
     * @param machine    the machine to match
     * @param others     every other live (not retired) machine that holds a hostname
     */
    public static Enrollment match(ClusterState intent, long generation, Candidate machine, List<Enrolled> others) {
        return match(intent, generation, machine, Fleet.of(others));
    }

    /**
     * As {@link #match(ClusterState, long, Candidate, List)}, asking {@code fleet} only what it needs: per
     * rule whose selectors hold, at most one capacity count (and, when full, the first few holders) and the
     * hostname lookups of {@link #hostname}; never the whole fleet.
     */
    public static Enrollment match(ClusterState intent, long generation, Candidate machine, Fleet fleet) {
        List<String> explanation = new ArrayList<>();
        MachineInventory facts = machine.facts();
        Optional<String> fingerprint = fingerprint(facts);
        String machineId = machine.machineId() != null ? machine.machineId().toLowerCase(Locale.ROOT)
                : fingerprint.map(f -> MachineId.ofFingerprint(f).toString()).orElse(null);

        ClusterState.Node node = intent.nodes().stream()
                .filter(n -> n != null && nodeMatches(n, fingerprint.orElse(null), machineId))
                .findFirst().orElse(null);
        Enrollment result = null;
        if (node != null) {
            explanation.add("node " + node.nodeId() + ": matched (fingerprint " + fingerprint.orElse(machineId) + ")");
            result = forNode(intent, generation, node, explanation);
        } else if (intent.nodes().isEmpty()) {
            explanation.add("nodes: none defined");
        } else {
            explanation.add("nodes: none of " + String.join(", ", intent.nodes().stream().filter(Objects::nonNull)
                    .map(ClusterState.Node::nodeId).toList())
                    + " has this machine's fingerprint " + fingerprint.orElse("(none)"));
        }

        Map<String, String> reserved = new HashMap<>();
        for (ClusterState.Node n : intent.nodes()) {
            if (n != null && n != node && n.hostname() != null) {
                reserved.putIfAbsent(n.hostname(), "node " + n.nodeId()); // reserved for that node even before it shows up
            }
        }

        String winner = result == null ? null : result.matched();
        for (EnrollmentRule rule : intent.enrollmentRules()) {
            if (rule == null) {
                continue;
            }
            String failure = firstFailure(rule, facts, machineId);
            String hostname = null;
            if (failure == null) {
                failure = capacity(rule, machineId, fleet);
            }
            if (failure == null) {
                String pattern = pattern(rule);
                if (pattern == null) {
                    failure = "assign: no node class";
                } else {
                    int first = HostnamePattern.firstIndex(rule.assign().firstIndex());
                    int last = lastIndex(rule, first);
                    hostname = hostname(pattern, first, last, machine.currentHostname(), reserved, fleet, machineId);
                    if (hostname == null) {
                        String fixed = HostnamePattern.render(pattern, first);
                        failure = "hostname: " + (HostnamePattern.hasIndex(pattern)
                                ? "no free index for pattern \"" + pattern + "\"" + (rule.maxCount() == null ? ""
                                : " among its maxCount " + rule.maxCount() + " names (" + HostnamePattern.render(pattern, first)
                                + " .. " + HostnamePattern.render(pattern, last) + ")")
                                : "\"" + fixed + "\" is already used by " + fleet.holderOf(fixed, machineId)
                                .orElse(reserved.getOrDefault(fixed, "another machine")));
                    }
                }
            }
            String name = "rule " + rule.name();
            if (failure != null) {
                explanation.add(name + ": " + failure);
            } else if (winner != null) {
                explanation.add(name + ": would match, but " + winner.replace(":", " ") + " comes first");
            } else {
                result = forRule(intent, generation, rule, hostname, explanation);
                winner = result.matched();
                explanation.add(name + ": matched → class " + result.assignment().nodeClass()
                        + (result.assignment().pool() == null ? "" : ", pool " + result.assignment().pool())
                        + ", hostname " + hostname);
            }
        }
        if (result == null) {
            explanation.add("no node or rule matches: the machine waits for an operator "
                    + "(commission it with an explicit nodeClass, pool and hostname, or change the intent)");
            return new Enrollment(null, null, HardwareRequirements.NONE, false, false, false, explanation, generation);
        }
        return new Enrollment(result.matched(), result.assignment(), result.requirements(), result.autoInspect(),
                result.autoCommission(), result.autoInstall(), explanation, generation);
    }

    /** The minimum traits of a class ({@link HardwareRequirements#NONE} for an unknown or unconstrained class). */
    public static HardwareRequirements requirementsOf(ClusterState intent, String nodeClass) {
        return classNamed(intent, nodeClass).map(NodeClass::requirements)
                .map(r -> new HardwareRequirements(r.minCpuThreads(), r.minCpuCores(), r.minMemoryBytes(), r.minDisks(),
                        r.minDiskBytes(), r.minNics(), r.minNicSpeedMbps()))
                .orElse(HardwareRequirements.NONE);
    }

    /**
     * Whether a machine assigned by {@code matchedRule} ({@code node:<nodeId>}, {@code rule:<name>}, or
     * null for an operator's explicit assignment) installs without an operator under {@code intent}, and
     * why (or why not) in one sentence. A node installs automatically with {@code autoInstall}; a rule
     * with {@code autoCommission} and {@code autoInstall}; anything else waits for an operator.
     */
    public static AutoInstall autoInstall(ClusterState intent, String matchedRule) {
        if (matchedRule == null) {
            return AutoInstall.waits("the machine was assigned explicitly, not by a node or rule of the cluster intent");
        }
        if (matchedRule.startsWith(Enrollment.NODE_PREFIX)) {
            String id = matchedRule.substring(Enrollment.NODE_PREFIX.length());
            return intent.nodes().stream().filter(n -> n != null && Objects.equals(n.nodeId(), id)).findFirst()
                    .map(n -> Boolean.TRUE.equals(n.autoInstall())
                            ? AutoInstall.installs("node " + id + " installs automatically (autoInstall = true)")
                            : AutoInstall.waits("node " + id + " does not install automatically (autoInstall = false)"))
                    .orElseGet(() -> AutoInstall.waits("node " + id + " is no longer in the cluster intent"));
        }
        if (matchedRule.startsWith(Enrollment.RULE_PREFIX)) {
            String name = matchedRule.substring(Enrollment.RULE_PREFIX.length());
            return intent.enrollmentRules().stream().filter(r -> r != null && Objects.equals(r.name(), name)).findFirst()
                    .map(r -> ruleAutoInstall(r))
                    .orElseGet(() -> AutoInstall.waits("rule " + name + " is no longer in the cluster intent"));
        }
        return AutoInstall.waits("it was assigned by \"" + matchedRule + "\", which is neither a node nor a rule");
    }

    private static AutoInstall ruleAutoInstall(EnrollmentRule r) {
        if (!Boolean.TRUE.equals(r.autoInstall())) {
            return AutoInstall.waits("rule " + r.name() + " does not install automatically (autoInstall = false)");
        }
        if (!Boolean.TRUE.equals(r.autoCommission())) {
            return AutoInstall.waits("rule " + r.name() + " installs automatically only what it commissions (autoCommission = false)");
        }
        return AutoInstall.installs("rule " + r.name() + " installs automatically (autoInstall = true)");
    }

    /** Labels of a class and a pool together: pool labels, then class labels (as the Nix modules merge them). */
    public static Map<String, String> labelsOf(ClusterState intent, String nodeClass, String pool, Map<String, String> own) {
        Map<String, String> labels = new TreeMap<>();
        poolNamed(intent, pool).map(Pool::labels).ifPresent(l -> putAll(labels, l));
        classNamed(intent, nodeClass).map(NodeClass::labels).ifPresent(l -> putAll(labels, l));
        putAll(labels, own);
        return labels;
    }

    public static Optional<NodeClass> classNamed(ClusterState intent, String name) {
        return intent.nodeClasses().stream().filter(c -> c != null && Objects.equals(c.name(), name)).findFirst();
    }

    public static Optional<Pool> poolNamed(ClusterState intent, String name) {
        return name == null ? Optional.empty()
                : intent.pools().stream().filter(p -> p != null && Objects.equals(p.name(), name)).findFirst();
    }

    // ------------------------------------------------------------------ nodes

    private static boolean nodeMatches(ClusterState.Node n, String fingerprint, String machineId) {
        String expected = nodeFingerprint(n);
        if (expected != null && expected.equals(fingerprint)) {
            return true;
        }
        return n.machineId() != null && machineId != null && n.machineId().equalsIgnoreCase(machineId);
    }

    static String nodeFingerprint(ClusterState.Node n) {
        if (n.match() != null && n.match().smbiosUuid() != null) {
            return "smbios:" + n.match().smbiosUuid().trim().toLowerCase(Locale.ROOT);
        }
        if (n.match() != null && n.match().mac() != null) {
            return "mac:" + n.match().mac().trim().toLowerCase(Locale.ROOT).replace('-', ':');
        }
        return n.fingerprint();
    }

    private static Enrollment forNode(ClusterState intent, long generation, ClusterState.Node n, List<String> explanation) {
        NodeAssignment a = new NodeAssignment(n.nodeId(), n.hostname(), n.nodeClass(), n.pool(),
                labelsOf(intent, n.nodeClass(), n.pool(), n.labels()), Enrollment.NODE_PREFIX + n.nodeId(), generation);
        // explicit nodes are expected machines: always inspect and commission them; install when the node says so
        return new Enrollment(Enrollment.NODE_PREFIX + n.nodeId(), a, requirementsOf(intent, n.nodeClass()),
                true, true, Boolean.TRUE.equals(n.autoInstall()), explanation, generation);
    }

    // ------------------------------------------------------------------ rules

    private static Enrollment forRule(ClusterState intent, long generation, EnrollmentRule rule, String hostname,
                                      List<String> explanation) {
        RuleAssignment assign = rule.assign();
        NodeAssignment a = new NodeAssignment(hostname, hostname, assign.nodeClass(), assign.pool(),
                labelsOf(intent, assign.nodeClass(), assign.pool(), assign.labels()),
                Enrollment.RULE_PREFIX + rule.name(), generation);
        return new Enrollment(Enrollment.RULE_PREFIX + rule.name(), a, requirementsOf(intent, assign.nodeClass()),
                rule.autoInspect() == null || rule.autoInspect(), Boolean.TRUE.equals(rule.autoCommission()),
                ruleAutoInstall(rule).automatic(), explanation, generation);
    }

    private static String pattern(EnrollmentRule rule) {
        if (rule.assign() == null || rule.assign().nodeClass() == null) {
            return null;
        }
        return rule.assign().hostnamePattern() != null ? rule.assign().hostnamePattern()
                : rule.assign().nodeClass() + "-" + HostnamePattern.INDEX;
    }

    /**
     * The machine's own hostname when the pattern produces it and nobody else holds it; else the lowest
     * free index. The fleet answers "lowest free index from i" in one indexed lookup; a hostname it gives
     * that a node of the intent reserves only moves the search past that index (at most once per node).
     */
    private static String hostname(String pattern, int firstIndex, int lastIndex, String current,
                                   Map<String, String> reserved, Fleet fleet, String self) {
        if (current != null && HostnamePattern.indexOf(pattern, firstIndex, current).filter(i -> i <= lastIndex).isPresent()
                && !reserved.containsKey(current) && fleet.holderOf(current, self).isEmpty()) {
            return current;
        }
        if (!HostnamePattern.hasIndex(pattern)) {
            return reserved.containsKey(pattern) || fleet.holderOf(pattern, self).isPresent() ? null : pattern;
        }
        int from = firstIndex;
        while (from <= lastIndex) {
            OptionalInt free = fleet.lowestFreeIndex(pattern, from, lastIndex, self);
            if (free.isEmpty()) {
                return null;
            }
            String h = HostnamePattern.render(pattern, free.getAsInt());
            if (!reserved.containsKey(h)) {
                return h;
            }
            from = free.getAsInt() + 1;
        }
        return null;
    }

    /**
     * A rule with a maxCount hands out exactly its maxCount names, from its first index on, as the Nix schema and
     * the intent's validation reserve them. So the write side's hostname claims (ADR 0007) bound the rule's capacity
     * across replicas too: two machines racing for its last name cannot both get one.
     */
    private static int lastIndex(EnrollmentRule rule, int firstIndex) {
        return rule.maxCount() == null ? firstIndex + MAX_INDEX : firstIndex + Math.max(rule.maxCount(), 1) - 1;
    }

    /** Null while the rule has room; else why not, naming the first {@value #SHOWN_HOLDERS} holders. */
    private static String capacity(EnrollmentRule rule, String machineId, Fleet fleet) {
        if (rule.maxCount() == null) {
            return null;
        }
        String key = Enrollment.RULE_PREFIX + rule.name();
        int count = fleet.countByRule(key, machineId, rule.maxCount());
        if (count < rule.maxCount()) {
            return null;
        }
        List<String> held = fleet.heldByRule(key, machineId, SHOWN_HOLDERS);
        String more = count > held.size() ? ", and " + (count - held.size()) + " more" : "";
        return "maxCount " + rule.maxCount() + " reached (assigned: " + String.join(", ", held) + more + ")";
    }

    /** The first selector of the rule that the machine fails, in a fixed order; null when all hold. */
    static String firstFailure(EnrollmentRule rule, MachineInventory facts, String machineId) {
        RuleMatch m = rule.match();
        if (m == null) {
            return null;
        }
        if (m.machineIds() != null && m.machineIds().stream().noneMatch(id -> id != null && id.equalsIgnoreCase(machineId))) {
            return "machineIds: " + machineId + " is not one of " + m.machineIds();
        }
        if (m.macs() != null) {
            Set<String> macs = new HashSet<>();
            for (MachineInventory.Nic n : facts.nics()) {
                if (n.mac() != null) {
                    macs.add(normMac(n.mac()));
                }
                if (n.permanentMac() != null) {
                    macs.add(normMac(n.permanentMac()));
                }
            }
            if (m.macs().stream().noneMatch(x -> x != null && macs.contains(normMac(x)))) {
                return "macs: no NIC has one of " + m.macs();
            }
        }
        MachineInventory.SystemIdentity id = facts.identity();
        if (m.dmi() != null) {
            String f = dmi("vendor", m.dmi().vendor(), id == null ? null : id.vendor());
            if (f == null) {
                f = dmi("product", m.dmi().product(), id == null ? null : id.product());
            }
            if (f == null) {
                f = dmi("serial", m.dmi().serial(), id == null ? null : id.systemSerial());
            }
            if (f != null) {
                return f;
            }
        }
        List<DiskMatch> diskSelectors = m.disks() == null ? List.of() : m.disks();
        for (int i = 0; i < diskSelectors.size(); i++) {
            String failure = diskFailure(diskSelectors.get(i), facts);
            if (failure != null) {
                return (diskSelectors.size() == 1 ? "disks" : "disks[" + i + "]") + ": " + failure;
            }
        }
        if (m.nics() != null) {
            NicMatch n = m.nics();
            int need = n.minCount() == null ? 1 : n.minCount();
            long have = facts.nics().stream()
                    .filter(x -> n.minSpeedMbps() == null || (x.speedMbps() != null && x.speedMbps() >= n.minSpeedMbps()))
                    .filter(x -> StringMatcher.matches(n.driver(), x.driver()))
                    .count();
            if (have < need) {
                List<String> traits = new ArrayList<>();
                if (n.minSpeedMbps() != null) {
                    traits.add("speed >= " + n.minSpeedMbps() + " Mbps");
                }
                if (n.driver() != null) {
                    traits.add("driver " + StringMatcher.describe(n.driver()));
                }
                return "nics: " + have + " NIC" + (have == 1 ? "" : "s")
                        + (traits.isEmpty() ? "" : " with " + String.join(" and ", traits)) + ", need " + need;
            }
        }
        Integer threads = facts.cpu() == null ? null : facts.cpu().threads();
        if (m.minCpuThreads() != null && (threads == null || threads < m.minCpuThreads())) {
            return "minCpuThreads: " + (threads == null ? "unknown" : threads) + " threads, need " + m.minCpuThreads();
        }
        if (m.minMemoryBytes() != null && (facts.memoryBytes() == null || facts.memoryBytes() < m.minMemoryBytes())) {
            return "minMemoryBytes: " + (facts.memoryBytes() == null ? "unknown" : bytes(facts.memoryBytes()))
                    + ", need " + bytes(m.minMemoryBytes());
        }
        return null;
    }

    /** Counts on its own, over every non-removable disk: a disk may satisfy several selectors. */
    private static String diskFailure(DiskMatch d, MachineInventory facts) {
        if (d == null) {
            return null;
        }
        int need = d.minCount() == null ? 1 : d.minCount();
        long have = facts.disks().stream().filter(x -> !Boolean.TRUE.equals(x.removable()))
                .filter(x -> d.minSizeBytes() == null || (x.sizeBytes() != null && x.sizeBytes() >= d.minSizeBytes()))
                .filter(x -> d.rotational() == null || d.rotational().equals(x.rotational()))
                .filter(x -> StringMatcher.matches(d.model(), x.model()))
                .count();
        if (have >= need) {
            return null;
        }
        List<String> traits = new ArrayList<>();
        if (d.minSizeBytes() != null) {
            traits.add("size >= " + bytes(d.minSizeBytes()));
        }
        if (d.rotational() != null) {
            traits.add("rotational=" + d.rotational());
        }
        if (d.model() != null) {
            traits.add("model " + StringMatcher.describe(d.model()));
        }
        return have + " non-removable disk" + (have == 1 ? "" : "s")
                + (traits.isEmpty() ? "" : " with " + String.join(" and ", traits)) + ", need " + need;
    }

    private static String dmi(String field, StringMatch m, String value) {
        if (m == null || StringMatcher.matches(m, value)) {
            return null;
        }
        return "dmi." + field + ": " + (value == null ? "not reported" : "\"" + value + "\"") + " is not "
                + StringMatcher.describe(m);
    }

    private static Optional<String> fingerprint(MachineInventory facts) {
        try {
            return Optional.of(MachineFingerprint.of(facts).value());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String normMac(String mac) {
        return mac.trim().toLowerCase(Locale.ROOT).replace('-', ':');
    }

    private static void putAll(Map<String, String> into, Map<String, String> from) {
        if (from != null) {
            from.forEach((k, v) -> {
                if (k != null && v != null) {
                    into.put(k, v);
                }
            });
        }
    }

    static String bytes(long b) {
        if (b % GIB == 0) {
            return (b / GIB) + " GiB";
        }
        return String.format(Locale.ROOT, "%.1f GiB", b / (double) GIB);
    }
}
