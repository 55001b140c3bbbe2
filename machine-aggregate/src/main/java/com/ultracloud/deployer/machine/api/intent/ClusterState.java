package com.ultracloud.deployer.machine.api.intent;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/** The whole static intent of a cluster (DESIGN §4). {@code servicePolicies} are opaque: never interpreted here. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterState(
        Integer schemaVersion,
        Cluster cluster,
        List<Network> networks,
        List<DiskPolicy> diskPolicies,
        List<InstallProfile> installProfiles,
        List<NodeClass> nodeClasses,
        List<Pool> pools,
        List<EnrollmentRule> enrollmentRules,
        List<Node> nodes,
        List<HostDeployment> hostDeployments,
        Map<String, Object> servicePolicies) {

    public ClusterState {
        networks = orEmpty(networks);
        diskPolicies = orEmpty(diskPolicies);
        installProfiles = orEmpty(installProfiles);
        nodeClasses = orEmpty(nodeClasses);
        pools = orEmpty(pools);
        enrollmentRules = orEmpty(enrollmentRules);
        nodes = orEmpty(nodes);
        hostDeployments = orEmpty(hostDeployments);
    }

    static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    /**
     * {@code domain}: the DNS domain of nodes whose install network names none; {@code operatorSshKeys}:
     * OpenSSH public keys authorized for root on installed nodes and in rescue (empty when absent).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Cluster(String name, String domain, String deployerUrl, List<String> operatorSshKeys) {
        public Cluster {
            operatorSshKeys = orEmpty(operatorSshKeys);
        }
    }

    /** {@code mtu} null: the NIC's default; {@code domain} null: the cluster's domain. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Network(String name, String cidr, Integer prefixLength, String gateway, List<String> dns,
                          Integer vlan, Integer mtu, String domain) {
    }

    /** {@code rootDeviceHints}: Ironic-style hints, e.g. {hint: "size", operator: ">=", values: ["800"]}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DiskPolicy(String name, List<Hint> rootDeviceHints, String layout, String wipe, String description) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Hint(String hint, String operator, List<String> values) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SystemRef(String flake, String attribute) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record InstallProfile(String name, SystemRef system, String diskPolicy, String network,
                                 List<String> kernelParams) {
    }

    /** Checked by inspection; null is not checked. {@code minNicSpeedMbps}: the fastest NIC's reported speed. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Requirements(Integer minCpuThreads, Integer minCpuCores, Long minMemoryBytes, Integer minDisks,
                               Long minDiskBytes, Integer minNics, Integer minNicSpeedMbps) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NodeClass(String name, String installProfile, Requirements requirements, Map<String, String> labels,
                            String description) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Pool(String name, String failureDomain, Map<String, String> labels, String description) {
    }

    /** A string selector: {operator: "s==" | "s!=" | "<in>" | "<or>", values: [...]}, case-insensitive. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StringMatch(String operator, List<String> values) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DmiMatch(StringMatch vendor, StringMatch product, StringMatch serial) {
    }

    /** At least {@code minCount} non-removable disks having every listed trait. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DiskMatch(Integer minCount, Long minSizeBytes, Boolean rotational, StringMatch model) {
    }

    /** At least {@code minCount} NICs having every listed trait. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NicMatch(Integer minCount, Integer minSpeedMbps, StringMatch driver) {
    }

    /**
     * {@code disks}: selectors that must all hold, each counted on its own (null: no disk selector). A
     * single object is read as a list of one: documents exported before selectors became a list.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RuleMatch(List<String> machineIds, List<String> macs, DmiMatch dmi,
                            @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<DiskMatch> disks,
                            NicMatch nics, Integer minCpuThreads, Long minMemoryBytes) {
    }

    /**
     * {@code hostnamePattern} with {@code {index}} or {@code {index:0N}} (zero-padded to N digits);
     * {@code firstIndex} the first index handed out (null: 1).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RuleAssignment(String nodeClass, String pool, Map<String, String> labels, String hostnamePattern,
                                 Integer firstIndex) {
    }

    /** Ordered: the first rule that matches wins. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record EnrollmentRule(String name, String description, RuleMatch match, RuleAssignment assign,
                                 Integer maxCount, Boolean autoInspect, Boolean autoCommission, Boolean autoInstall) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NodeMatch(String smbiosUuid, String mac) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NodeAddress(String network, String address, Integer prefixLength, String mac,
                              @JsonProperty("interface") String interfaceName) {
    }

    /**
     * A fixed machine; {@code machineId} is the id its fingerprint yields ({@code MachineId.ofFingerprint}).
     * {@code rootDeviceHints} (null: none) replace its class's disk-policy hints; {@code autoInstall}
     * (null: false) requests its install once it is commissioned.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Node(String nodeId, String hostname, NodeMatch match, String fingerprint, String machineId,
                       String nodeClass, String pool, Map<String, String> labels, String description,
                       List<NodeAddress> addresses, List<Hint> rootDeviceHints, Boolean autoInstall) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Selector(List<String> pools, List<String> nodeClasses, List<String> hostnames,
                           Map<String, String> labels) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HealthCheck(String type, List<String> units, String url, Integer expectStatus,
                              Integer timeoutSeconds) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HostDeployment(String name, String description, Selector selector, SystemRef system,
                                 Integer batchSize, Integer maxUnavailable, String drainPolicy, HealthCheck healthCheck,
                                 Integer activationTimeoutSeconds, String rollbackPolicy) {
    }
}
