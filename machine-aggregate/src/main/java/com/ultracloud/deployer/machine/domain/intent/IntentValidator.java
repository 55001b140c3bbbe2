package com.ultracloud.deployer.machine.domain.intent;

import com.ultracloud.deployer.machine.api.intent.ClusterState;
import com.ultracloud.deployer.machine.api.intent.ClusterState.*;
import com.ultracloud.deployer.machine.domain.MachineFingerprint;
import com.ultracloud.deployer.machine.domain.plan.InstallPlanRenderer;
import com.ultracloud.deployer.protocol.InstallPlan;
import com.ultracloud.deployer.protocol.disk.RootDeviceHintException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Re-checks an exported cluster-state document on the Java side (DESIGN §4): the Nix schema
 * validates when it evaluates, but the deployer must not trust a document it did not see being
 * made. Reports every problem, each with its path: named entries by name
 * ({@code nodeClasses[worker].installProfile}), unnamed ones by position ({@code nodes[2].nodeId}).
 */
public final class IntentValidator {

    public static final int SCHEMA_VERSION = 1;
    public static final Set<String> STRING_OPERATORS = Set.of("s==", "s!=", "<in>", "<or>");
    static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    /** An authorized_keys line: type, base64 blob, optional comment. */
    static final Pattern SSH_PUBLIC_KEY = Pattern.compile("(\\S+) AAAA[A-Za-z0-9+/]+={0,3}( [^\\p{Cntrl}]*)?");
    public static final List<String> SSH_KEY_TYPES = List.of("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com");
    /** 576: the least every IPv4 host accepts; 9216: the largest jumbo frame switches commonly carry. */
    static final int MIN_MTU = 576;
    static final int MAX_MTU = 9216;
    static final Pattern PLACEHOLDER = Pattern.compile("\\{[^}]*}");
    static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    static final Set<String> LAYOUTS = Set.of("single-ext4", "single-btrfs", "storage-array");
    static final Set<String> WIPES = Set.of("root-disk", "all-non-removable");

    private final List<IntentError> errors = new ArrayList<>();

    private IntentValidator() {
    }

    /** Every problem of the document, in document order; empty when it is valid. */
    public static List<IntentError> validate(ClusterState state) {
        IntentValidator v = new IntentValidator();
        if (state == null) {
            v.error("$", "a cluster-state document (a JSON object) is required");
        } else {
            v.check(state);
        }
        return List.copyOf(v.errors);
    }

    private void error(String path, String message) {
        errors.add(new IntentError(path, message));
    }

    private void check(ClusterState s) {
        if (s.schemaVersion() == null) {
            error("schemaVersion", "is required (" + SCHEMA_VERSION + ")");
        } else if (s.schemaVersion() != SCHEMA_VERSION) {
            error("schemaVersion", "unsupported schema version " + s.schemaVersion() + " (this deployer reads " + SCHEMA_VERSION + ")");
        }
        checkCluster(s.cluster());
        Map<String, Network> networks = names("networks", s.networks(), Network::name);
        Map<String, DiskPolicy> policies = names("diskPolicies", s.diskPolicies(), DiskPolicy::name);
        Map<String, InstallProfile> profiles = names("installProfiles", s.installProfiles(), InstallProfile::name);
        Map<String, NodeClass> classes = names("nodeClasses", s.nodeClasses(), NodeClass::name);
        Map<String, Pool> pools = names("pools", s.pools(), Pool::name);
        names("enrollmentRules", s.enrollmentRules(), EnrollmentRule::name);
        names("nodes", s.nodes(), ClusterState.Node::nodeId); // a null node, a missing or repeated nodeId, as the Nix schema
        names("hostDeployments", s.hostDeployments(), HostDeployment::name);

        Map<String, long[]> cidrs = new HashMap<>();
        each("networks", s.networks(), Network::name, (p, n) -> {
            long[] net = parseCidr(p + ".cidr", n.cidr());
            if (net != null) {
                cidrs.put(n.name(), net);
                if (n.gateway() != null) {
                    Long gw = parseIp(p + ".gateway", n.gateway());
                    if (gw != null && !inside(net, gw)) {
                        error(p + ".gateway", "gateway " + n.gateway() + " is outside " + n.cidr());
                    }
                }
            }
            if (n.vlan() != null && (n.vlan() < 1 || n.vlan() > 4094)) {
                error(p + ".vlan", "must be in 1..4094, got " + n.vlan());
            }
            if (n.mtu() != null && (n.mtu() < MIN_MTU || n.mtu() > MAX_MTU)) {
                error(p + ".mtu", "must be in " + MIN_MTU + ".." + MAX_MTU + ", got " + n.mtu());
            }
            if (n.domain() != null && !DOMAIN.matcher(n.domain()).matches()) {
                error(p + ".domain", "invalid domain " + quote(n.domain()));
            }
        });
        each("diskPolicies", s.diskPolicies(), DiskPolicy::name, (p, d) -> {
            checkHints(p + ".rootDeviceHints", d.rootDeviceHints());
            if (d.layout() == null || !LAYOUTS.contains(d.layout())) {
                error(p + ".layout", "unknown layout " + quote(d.layout()) + " (known: " + String.join(", ", sorted(LAYOUTS)) + ")");
            }
            if (d.wipe() != null && !WIPES.contains(d.wipe())) {
                error(p + ".wipe", "unknown wipe policy " + quote(d.wipe()) + " (known: " + String.join(", ", sorted(WIPES)) + ")");
            }
        });
        each("installProfiles", s.installProfiles(), InstallProfile::name, (p, ip) -> {
            ref(p + ".diskPolicy", "disk policy", ip.diskPolicy(), policies, true);
            ref(p + ".network", "network", ip.network(), networks, true);
            if (ip.system() == null || blank(ip.system().flake())) {
                error(p + ".system.flake", "is required");
            }
            if (ip.system() == null || blank(ip.system().attribute())) {
                error(p + ".system.attribute", "is required");
            } else if (InstallPlan.SystemRef.configurationOf(
                    ip.system().attribute().replace(InstallPlanRenderer.HOSTNAME_PLACEHOLDER, "host")).isEmpty()) {
                // nixos-install --flake <flake>#<name> installs nixosConfigurations."<name>" and nothing else
                error(p + ".system.attribute", "nixos-install can only install nixosConfigurations.<name>, got "
                        + quote(ip.system().attribute()) + " (e.g. \"nixosConfigurations.{hostname}\")");
            }
        });
        each("nodeClasses", s.nodeClasses(), NodeClass::name, (p, c) -> {
            ref(p + ".installProfile", "profile", c.installProfile(), profiles, true);
            Requirements r = c.requirements();
            if (r != null) {
                positive(p + ".requirements.minCpuThreads", r.minCpuThreads());
                positive(p + ".requirements.minCpuCores", r.minCpuCores());
                positive(p + ".requirements.minNicSpeedMbps", r.minNicSpeedMbps());
                positive(p + ".requirements.minMemoryBytes", r.minMemoryBytes());
                positive(p + ".requirements.minDisks", r.minDisks());
                positive(p + ".requirements.minDiskBytes", r.minDiskBytes());
                positive(p + ".requirements.minNics", r.minNics());
            }
            labels(p + ".labels", c.labels());
        });
        each("pools", s.pools(), Pool::name, (p, pool) -> labels(p + ".labels", pool.labels()));

        // hostnames: nodes, then the slots of rules with a maxCount (as the Nix schema reserves them)
        Map<String, String> hostnames = new LinkedHashMap<>();
        Map<String, String> fingerprints = new LinkedHashMap<>();
        Map<String, String> addresses = new LinkedHashMap<>();
        each("nodes", s.nodes(), ClusterState.Node::nodeId, (p, n) -> {
            if (blank(n.nodeId())) {
                return; // reported by names()
            }
            if (blank(n.hostname())) {
                error(p + ".hostname", "is required");
            } else if (!DNS_LABEL.matcher(n.hostname()).matches()) {
                error(p + ".hostname", "invalid hostname " + quote(n.hostname()) + " (one DNS label: lowercase letters, digits and '-')");
            } else {
                unique(hostnames, "hostname", n.hostname(), p + ".hostname");
            }
            ref(p + ".nodeClass", "node class", n.nodeClass(), classes, true);
            ref(p + ".pool", "pool", n.pool(), pools, false);
            labels(p + ".labels", n.labels());
            if (n.rootDeviceHints() != null) {
                checkHints(p + ".rootDeviceHints", n.rootDeviceHints());
            }
            String fp = nodeFingerprint(p, n);
            if (fp != null) {
                unique(fingerprints, "machine fingerprint", fp, p + ".match");
                if (n.fingerprint() != null && !n.fingerprint().equals(fp)) {
                    error(p + ".fingerprint", "is " + quote(n.fingerprint()) + " but match gives " + quote(fp));
                }
                String id = com.ultracloud.deployer.machine.api.MachineId.ofFingerprint(fp).toString();
                if (n.machineId() != null && !n.machineId().equalsIgnoreCase(id)) {
                    error(p + ".machineId", "is " + quote(n.machineId()) + " but fingerprint " + fp + " gives " + id);
                }
            }
            List<NodeAddress> as = n.addresses() == null ? List.of() : n.addresses();
            for (int i = 0; i < as.size(); i++) {
                NodeAddress a = as.get(i);
                String ap = p + ".addresses[" + (a == null || a.network() == null ? String.valueOf(i) : a.network()) + "]";
                if (a == null) {
                    error(ap, "is null");
                    continue;
                }
                if (ref(ap + ".network", "network", a.network(), networks, true)) {
                    Long ip = parseIp(ap + ".address", a.address());
                    long[] net = cidrs.get(a.network());
                    Network nw = networks.get(a.network());
                    if (ip != null && net != null) {
                        if (!inside(net, ip)) {
                            error(ap + ".address", "address " + a.address() + " is outside network " + a.network() + " (" + nw.cidr() + ")");
                        } else if (net[1] < 31 && (ip == net[0] || ip == net[0] + (1L << (32 - net[1])) - 1)) {
                            error(ap + ".address", "address " + a.address() + " is the network or broadcast address of " + nw.cidr());
                        } else if (a.address().equals(nw.gateway())) {
                            error(ap + ".address", "address " + a.address() + " is the gateway of network " + a.network());
                        } else {
                            unique(addresses, "address", a.network() + "/" + a.address(), ap + ".address");
                        }
                    }
                }
                if (a.mac() != null && !MAC.matcher(a.mac()).matches()) {
                    error(ap + ".mac", "invalid MAC address " + quote(a.mac()) + " (lower-case, colon-separated)");
                }
            }
        });
        Map<String, String> patterns = new LinkedHashMap<>();
        each("enrollmentRules", s.enrollmentRules(), EnrollmentRule::name, (p, r) -> {
            RuleAssignment a = r.assign();
            if (a == null) {
                error(p + ".assign", "is required (a rule must name at least a nodeClass)");
            } else {
                ref(p + ".assign.nodeClass", "node class", a.nodeClass(), classes, true);
                ref(p + ".assign.pool", "pool", a.pool(), pools, false);
                labels(p + ".assign.labels", a.labels());
                String pattern = a.hostnamePattern() == null ? a.nodeClass() + "-{index}" : a.hostnamePattern();
                int first = HostnamePattern.firstIndex(a.firstIndex());
                if (first < 0) {
                    error(p + ".assign.firstIndex", "must be 0 or more, got " + first);
                } else if (checkPattern(p + ".assign.hostnamePattern", pattern, first, r.maxCount())) {
                    unique(patterns, "hostname pattern", pattern, p + ".assign.hostnamePattern");
                    if (r.maxCount() != null && r.maxCount() > 0 && r.maxCount() <= 10_000) {
                        // the names the rule will hand out, rendered (padding, firstIndex) as the matcher renders them
                        for (int i = first; i < first + r.maxCount(); i++) {
                            unique(hostnames, "hostname", HostnamePattern.render(pattern, i),
                                    p + ".assign.hostnamePattern (index " + i + ")");
                        }
                    }
                }
            }
            if (r.maxCount() != null && r.maxCount() < 1) {
                error(p + ".maxCount", "must be a positive integer, got " + r.maxCount());
            }
            if (Boolean.TRUE.equals(r.autoInstall()) && !Boolean.TRUE.equals(r.autoCommission())) {
                error(p + ".autoInstall", "autoInstall requires autoCommission = true");
            }
            RuleMatch m = r.match();
            boolean catchAll = m == null || (m.machineIds() == null && m.macs() == null && m.dmi() == null
                    && (m.disks() == null || m.disks().isEmpty()) && m.nics() == null && m.minCpuThreads() == null
                    && m.minMemoryBytes() == null);
            if (catchAll && Boolean.TRUE.equals(r.autoInstall())) {
                error(p + ".autoInstall", "a rule that matches every machine (empty match) must not install automatically");
            }
            if (m != null) {
                checkMatch(p + ".match", m);
            }
        });
        each("hostDeployments", s.hostDeployments(), HostDeployment::name, (p, d) -> {
            Selector sel = d.selector();
            if (sel == null) {
                error(p + ".selector", "is required");
            } else {
                List<String> sp = sel.pools() == null ? List.of() : sel.pools();
                List<String> sc = sel.nodeClasses() == null ? List.of() : sel.nodeClasses();
                for (int i = 0; i < sp.size(); i++) {
                    ref(p + ".selector.pools[" + i + "]", "pool", sp.get(i), pools, true);
                }
                for (int i = 0; i < sc.size(); i++) {
                    ref(p + ".selector.nodeClasses[" + i + "]", "node class", sc.get(i), classes, true);
                }
                List<String> hs = sel.hostnames() == null ? List.of() : sel.hostnames();
                for (int i = 0; i < hs.size(); i++) {
                    if (hs.get(i) == null || !DNS_LABEL.matcher(hs.get(i)).matches()) {
                        error(p + ".selector.hostnames[" + i + "]", "invalid hostname " + quote(hs.get(i)));
                    }
                }
                boolean empty = sp.isEmpty() && sc.isEmpty() && hs.isEmpty() && (sel.labels() == null || sel.labels().isEmpty());
                if (empty) {
                    error(p + ".selector", "an empty selector would roll out to every machine; name pools, nodeClasses, hostnames or labels");
                }
            }
            if (d.system() == null || blank(d.system().flake()) || blank(d.system().attribute())) {
                error(p + ".system", "flake and attribute are required");
            }
            positive(p + ".batchSize", d.batchSize());
            positive(p + ".maxUnavailable", d.maxUnavailable());
            positive(p + ".activationTimeoutSeconds", d.activationTimeoutSeconds());
        });
    }

    private void checkCluster(Cluster c) {
        if (c == null) {
            error("cluster", "is required");
            return;
        }
        if (blank(c.name())) {
            error("cluster.name", "is required");
        } else if (!DNS_LABEL.matcher(c.name()).matches()) {
            error("cluster.name", "invalid name " + quote(c.name()));
        }
        if (blank(c.domain())) {
            error("cluster.domain", "is required");
        } else if (!DOMAIN.matcher(c.domain()).matches()) {
            error("cluster.domain", "invalid domain " + quote(c.domain()));
        }
        for (int i = 0; i < c.operatorSshKeys().size(); i++) {
            String key = c.operatorSshKeys().get(i);
            Matcher m = key == null ? null : SSH_PUBLIC_KEY.matcher(key);
            if (m == null || !m.matches() || !SSH_KEY_TYPES.contains(m.group(1))) {
                // only the first word is echoed: a private key pasted by mistake must not reach a log
                error("cluster.operatorSshKeys[" + i + "]", "expected an OpenSSH public key line (\"ssh-ed25519 AAAA... comment\"; types: "
                        + String.join(", ", SSH_KEY_TYPES) + "), got " + (key == null ? "null" : "a value starting with " + quote(firstWord(key))));
            }
        }
        if (c.deployerUrl() == null || !c.deployerUrl().matches("https?://[^\\s/]+(/\\S*)?")) {
            error("cluster.deployerUrl", "expected an http(s) URL, got " + quote(c.deployerUrl()));
        }
    }

    private void checkHints(String path, List<Hint> hints) {
        if (hints == null || hints.isEmpty()) {
            error(path, "at least one hint is required (the deployer never guesses the root disk)");
            return;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < hints.size(); i++) {
            Hint h = hints.get(i);
            String hp = path + "[" + (h == null || h.hint() == null ? String.valueOf(i) : h.hint()) + "]";
            if (h == null) {
                error(hp, "is null");
                continue;
            }
            if (IntentHints.ironicName(h.hint()).isEmpty()) {
                error(hp + ".hint", "unknown root device hint " + quote(h.hint()) + " (known: "
                        + String.join(", ", IntentHints.IRONIC_NAMES.keySet().stream().sorted().toList()) + ")");
                continue;
            }
            if (!seen.add(h.hint())) {
                error(hp, "duplicate hint " + quote(h.hint()));
                continue;
            }
            try {
                IntentHints.parse(List.of(h));
            } catch (RootDeviceHintException e) {
                e.problems().forEach(pr -> error(hp, pr.message()));
            } catch (IllegalArgumentException e) {
                error(hp, e.getMessage());
            }
        }
    }

    private void checkMatch(String p, RuleMatch m) {
        List<String> ids = m.machineIds() == null ? List.of() : m.machineIds();
        for (int i = 0; i < ids.size(); i++) {
            try {
                UUID.fromString(String.valueOf(ids.get(i)));
            } catch (IllegalArgumentException e) {
                error(p + ".machineIds[" + i + "]", "invalid machine id " + quote(ids.get(i)));
            }
        }
        List<String> macs = m.macs() == null ? List.of() : m.macs();
        for (int i = 0; i < macs.size(); i++) {
            if (!MachineFingerprint.isUsableMac(macs.get(i))) {
                error(p + ".macs[" + i + "]", "invalid or non-unicast MAC address " + quote(macs.get(i)));
            }
        }
        if (m.dmi() != null) {
            stringMatch(p + ".dmi.vendor", m.dmi().vendor());
            stringMatch(p + ".dmi.product", m.dmi().product());
            stringMatch(p + ".dmi.serial", m.dmi().serial());
        }
        if (m.disks() != null) {
            if (m.disks().isEmpty()) {
                error(p + ".disks", "give at least one disk selector (or leave disks out)");
            }
            for (int i = 0; i < m.disks().size(); i++) {
                DiskMatch d = m.disks().get(i);
                String dp = p + ".disks[" + i + "]";
                if (d == null) {
                    error(dp, "is null");
                    continue;
                }
                positive(dp + ".minCount", d.minCount());
                positive(dp + ".minSizeBytes", d.minSizeBytes());
                stringMatch(dp + ".model", d.model());
            }
        }
        if (m.nics() != null) {
            positive(p + ".nics.minCount", m.nics().minCount());
            positive(p + ".nics.minSpeedMbps", m.nics().minSpeedMbps());
            stringMatch(p + ".nics.driver", m.nics().driver());
        }
        positive(p + ".minCpuThreads", m.minCpuThreads());
        positive(p + ".minMemoryBytes", m.minMemoryBytes());
    }

    private void stringMatch(String path, StringMatch m) {
        if (m == null) {
            return;
        }
        if (m.operator() == null || !STRING_OPERATORS.contains(m.operator())) {
            error(path + ".operator", "operator " + quote(m.operator()) + " is not allowed on a string (allowed: s==, s!=, <in>, <or>)");
        }
        List<String> values = m.values() == null ? List.of() : m.values();
        if (values.isEmpty() || values.stream().anyMatch(v -> v == null || v.isBlank())) {
            error(path + ".values", "needs at least one non-empty value");
        } else if (!"<or>".equals(m.operator()) && values.size() > 1) {
            error(path + ".values", "operator " + m.operator() + " takes exactly one value, got " + values.size());
        }
    }

    private boolean checkPattern(String path, String pattern, int firstIndex, Integer maxCount) {
        Matcher ph = PLACEHOLDER.matcher(pattern);
        while (ph.find()) {
            if (!HostnamePattern.INDEX_PLACEHOLDER.matcher(ph.group()).matches()) {
                error(path, "unknown placeholder " + ph.group() + " in " + quote(pattern)
                        + " (allowed: {index}, or {index:0N} for the index zero-padded to N digits, e.g. {index:02})");
                return false;
            }
        }
        String rendered = HostnamePattern.render(pattern, firstIndex);
        if (rendered.contains("{") || rendered.contains("}")) {
            error(path, "unbalanced brace in " + quote(pattern));
            return false;
        }
        if (!DNS_LABEL.matcher(rendered).matches()) {
            error(path, "hostname pattern " + quote(pattern) + " does not render a DNS label (lowercase letters, digits and '-')");
            return false;
        }
        if (!HostnamePattern.hasIndex(pattern) && (maxCount == null || maxCount != 1)) {
            error(path, "hostname pattern " + quote(pattern) + " has no {index} placeholder, so every machine would get the same name (set maxCount = 1 for a single machine)");
            return false;
        }
        return true;
    }

    private String nodeFingerprint(String p, ClusterState.Node n) {
        NodeMatch m = n.match();
        if (m == null || (m.smbiosUuid() == null) == (m.mac() == null)) {
            error(p + ".match", "give exactly one of smbiosUuid or mac");
            return null;
        }
        if (m.smbiosUuid() != null) {
            String u = m.smbiosUuid().trim().toLowerCase(Locale.ROOT);
            if (!MachineFingerprint.isRealSmbiosUuid(u)) {
                error(p + ".match.smbiosUuid", quote(m.smbiosUuid()) + " is not a usable SMBIOS UUID (malformed or a firmware placeholder); match this machine by mac instead");
                return null;
            }
            return "smbios:" + u;
        }
        String mac = m.mac().trim().toLowerCase(Locale.ROOT).replace('-', ':');
        if (!MachineFingerprint.isUsableMac(mac)) {
            error(p + ".match.mac", quote(m.mac()) + " is not a unicast hardware address");
            return null;
        }
        return "mac:" + mac;
    }

    // ------------------------------------------------------------------ helpers

    private interface EntryCheck<T> {
        void check(String path, T entry);
    }

    private <T> void each(String section, List<T> list, Function<T, String> name, EntryCheck<T> check) {
        for (int i = 0; i < list.size(); i++) {
            T e = list.get(i);
            if (e != null) {
                check.check(section + "[" + label(name.apply(e), i) + "]", e);
            }
        }
    }

    /** Names of a collection: required, unique; answers name → entry for reference checks. */
    private <T> Map<String, T> names(String section, List<T> list, Function<T, String> name) {
        Map<String, T> byName = new LinkedHashMap<>();
        Map<String, String> seen = new HashMap<>();
        String field = section.equals("nodes") ? "nodeId" : "name";
        for (int i = 0; i < list.size(); i++) {
            T e = list.get(i);
            if (e == null) {
                error(section + "[" + i + "]", "is null");
                continue;
            }
            String n = name.apply(e);
            String path = section + "[" + label(n, i) + "]." + field;
            if (blank(n)) {
                error(section + "[" + i + "]." + field, "is required");
            } else if (!DNS_LABEL.matcher(n).matches()) {
                error(path, "invalid name " + quote(n) + " (lowercase letters, digits and '-', at most 63 characters)");
                byName.putIfAbsent(n, e);
            } else if (seen.containsKey(n)) {
                error(path, "duplicate " + field + " " + quote(n) + " (already used by " + seen.get(n) + ")");
            } else {
                seen.put(n, section + "[" + i + "]");
                byName.put(n, e);
            }
        }
        return byName;
    }

    private boolean ref(String path, String what, String value, Map<String, ?> known, boolean required) {
        if (value == null) {
            if (required) {
                error(path, "is required");
            }
            return false;
        }
        if (!known.containsKey(value)) {
            error(path, "unknown " + what + " " + quote(value) + " (known: "
                    + (known.isEmpty() ? "none" : String.join(", ", sorted(known.keySet()))) + ")");
            return false;
        }
        return true;
    }

    private void unique(Map<String, String> seen, String what, String value, String path) {
        String before = seen.putIfAbsent(value, path);
        if (before != null) {
            error(path, "duplicate " + what + " " + quote(value) + " (already used by " + before + ")");
        }
    }

    private void positive(String path, Number n) {
        if (n != null && n.longValue() < 1) {
            error(path, "must be a positive integer, got " + n);
        }
    }

    private void labels(String path, Map<String, String> labels) {
        if (labels == null) {
            return;
        }
        labels.forEach((k, v) -> {
            if (k == null || !k.matches("([a-z0-9.-]+/)?[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?")) {
                error(path + "." + k, "invalid label key");
            } else if (v == null) {
                error(path + "." + k, "label values must be strings");
            }
        });
    }

    private Long parseIp(String path, String s) {
        if (s == null || !IPV4.matcher(s).matches()) {
            error(path, "expected an IPv4 address, got " + quote(s));
            return null;
        }
        long v = 0;
        for (String o : s.split("\\.")) {
            v = v * 256 + Integer.parseInt(o);
        }
        return v;
    }

    /** {base, prefixLength}, or null after reporting. */
    private long[] parseCidr(String path, String s) {
        if (s == null || !s.matches("[0-9.]+/([0-9]|[12][0-9]|3[0-2])")) {
            error(path, "expected an IPv4 CIDR like \"10.42.0.0/24\", got " + quote(s));
            return null;
        }
        String[] parts = s.split("/");
        Long ip = parseIp(path, parts[0]);
        if (ip == null) {
            return null;
        }
        int prefix = Integer.parseInt(parts[1]);
        long size = 1L << (32 - prefix);
        if (ip % size != 0) {
            error(path, "host bits set in " + quote(s));
            return null;
        }
        return new long[]{ip, prefix};
    }

    private static boolean inside(long[] net, long ip) {
        return ip >= net[0] && ip < net[0] + (1L << (32 - net[1]));
    }

    private static String firstWord(String s) {
        String w = s.strip().split("\\s+", 2)[0];
        return w.length() > 24 ? w.substring(0, 24) + "..." : w;
    }

    private static String label(String name, int index) {
        return blank(name) ? String.valueOf(index) : name;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    static String quote(Object v) {
        return v == null ? "null" : "\"" + v + "\"";
    }
}
