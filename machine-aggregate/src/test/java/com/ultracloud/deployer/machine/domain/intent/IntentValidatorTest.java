package com.ultracloud.deployer.machine.domain.intent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.machine.api.intent.ClusterState;
import com.ultracloud.deployer.machine.testdata.Lab;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The Java-side re-check of exported documents: the lab passes, each mistake is reported with its path. */
class IntentValidatorTest {

    static List<String> errors(Consumer<ObjectNode> edit) {
        ObjectNode doc = Lab.stateJson();
        edit.accept(doc);
        return IntentValidator.validate(Lab.state(doc)).stream().map(IntentError::toString).toList();
    }

    static ObjectNode named(ObjectNode doc, String section, String name) {
        for (var e : doc.get(section)) {
            if (name.equals(e.path(section.equals("nodes") ? "nodeId" : "name").asText())) {
                return (ObjectNode) e;
            }
        }
        throw new IllegalArgumentException(section + " " + name);
    }

    @Test
    void theLabIsValid() {
        assertThat(IntentValidator.validate(Lab.state())).isEmpty();
    }

    @Test
    void danglingReferencesNameTheirPathAndTheKnownNames() {
        List<String> errors = errors(doc -> {
            named(doc, "nodeClasses", "worker").put("installProfile", "wrker");
            named(doc, "installProfiles", "storage").put("diskPolicy", "nope").put("network", "lan");
            ((ObjectNode) named(doc, "enrollmentRules", "workers-epyc").get("assign")).put("pool", "gen");
            named(doc, "nodes", "cp-2").put("nodeClass", "cp");
            ((ArrayNode) named(doc, "hostDeployments", "data-plane").get("selector").get("nodeClasses")).add("gpu");
        });
        assertThat(errors).containsExactlyInAnyOrder(
                "nodeClasses[worker].installProfile: unknown profile \"wrker\" (known: standard, storage)",
                "installProfiles[storage].diskPolicy: unknown disk policy \"nope\" (known: nvme-root, sata-boot)",
                "installProfiles[storage].network: unknown network \"lan\" (known: mgmt, storage)",
                "enrollmentRules[workers-epyc].assign.pool: unknown pool \"gen\" (known: control-plane, general, storage)",
                "nodes[cp-2].nodeClass: unknown node class \"cp\" (known: control-plane, storage, worker)",
                "hostDeployments[data-plane].selector.nodeClasses[2]: unknown node class \"gpu\" (known: control-plane, storage, worker)");
    }

    @Test
    void duplicatesOfHostnamesNodeIdsAddressesAndRuleSlotsAreReported() {
        List<String> errors = errors(doc -> {
            named(doc, "nodes", "cp-2").put("hostname", "cp-1");
            named(doc, "nodes", "cp-3").put("hostname", "worker-2");
            ((ObjectNode) named(doc, "nodes", "cp-3").get("addresses").get(0)).put("address", "10.42.0.11");
            named(doc, "pools", "general").put("name", "storage");
            ((ObjectNode) named(doc, "enrollmentRules", "workers-more").get("assign")).put("pool", "storage");
        });
        assertThat(errors).containsExactlyInAnyOrder(
                "nodes[cp-2].hostname: duplicate hostname \"cp-1\" (already used by nodes[cp-1].hostname)",
                "nodes[cp-3].addresses[mgmt].address: duplicate address \"mgmt/10.42.0.11\" (already used by nodes[cp-1].addresses[mgmt].address)",
                "enrollmentRules[workers-epyc].assign.hostnamePattern (index 2): duplicate hostname \"worker-2\" (already used by nodes[cp-3].hostname)",
                "pools[storage].name: duplicate name \"storage\" (already used by pools[1])",
                // the rule and deployment that name pool "general" now point at nothing
                "enrollmentRules[workers-epyc].assign.pool: unknown pool \"general\" (known: control-plane, storage)");
    }

    @Test
    void aNullNodeAndMissingOrRepeatedNodeIdsAreReported() {
        List<String> errors = errors(doc -> {
            named(doc, "nodes", "cp-3").put("nodeId", "cp-2");
            named(doc, "nodes", "cp-1").remove("nodeId");
            ((ArrayNode) doc.get("nodes")).addNull();
        });
        assertThat(errors).contains("nodes[0].nodeId: is required",
                "nodes[cp-2].nodeId: duplicate nodeId \"cp-2\" (already used by nodes[1])", "nodes[3]: is null");
    }

    @Test
    void rootDeviceHintsAreCheckedWithIronicRulesAndCamelCaseNames() {
        List<String> errors = errors(doc -> {
            ArrayNode nvme = (ArrayNode) named(doc, "diskPolicies", "nvme-root").get("rootDeviceHints");
            ((ObjectNode) nvme.get(1)).put("operator", "=>");
            ArrayNode sata = (ArrayNode) named(doc, "diskPolicies", "sata-boot").get("rootDeviceHints");
            ((ObjectNode) sata.get(0)).put("operator", "<contains>");
            sata.addObject().put("hint", "by_path").put("operator", "s==").putArray("values").add("pci-0000:00:17.0-ata-1");
            sata.addObject().put("hint", "byPath").put("operator", "s==").putArray("values").add("pci-0000:00:17.0-ata-1");
        });
        assertThat(errors).hasSize(3);
        assertThat(errors.get(0)).isEqualTo("diskPolicies[nvme-root].rootDeviceHints[size]: operator \"=>\" is not allowed on size (allowed: ==, !=, >=, <=, >, <)");
        assertThat(errors.get(1)).isEqualTo("diskPolicies[sata-boot].rootDeviceHints[model]: operator \"<contains>\" is not allowed on model (allowed: s==, s!=, <in>, <or>)");
        assertThat(errors.get(2)).startsWith("diskPolicies[sata-boot].rootDeviceHints[by_path].hint: unknown root device hint \"by_path\"");
    }

    @Test
    void rulesAreCheckedForOperatorsPatternsAndAutoInstall() {
        List<String> errors = errors(doc -> {
            ObjectNode rule = named(doc, "enrollmentRules", "storage-hdd");
            ((ObjectNode) rule.get("match").get("dmi").get("vendor")).put("operator", "==");
            ((ObjectNode) rule.get("assign")).put("hostnamePattern", "storage-{n}");
            rule.put("autoCommission", false).put("autoInstall", true);
            named(doc, "enrollmentRules", "workers-epyc").put("maxCount", 0);
        });
        assertThat(errors).containsExactlyInAnyOrder(
                "enrollmentRules[storage-hdd].assign.hostnamePattern: unknown placeholder {n} in \"storage-{n}\" "
                        + "(allowed: {index}, or {index:0N} for the index zero-padded to N digits, e.g. {index:02})",
                "enrollmentRules[storage-hdd].autoInstall: autoInstall requires autoCommission = true",
                "enrollmentRules[storage-hdd].match.dmi.vendor.operator: operator \"==\" is not allowed on a string (allowed: s==, s!=, <in>, <or>)",
                "enrollmentRules[workers-epyc].maxCount: must be a positive integer, got 0");
    }

    @Test
    void operatorSshKeysMustBePublicKeysAndAPrivateKeyIsNotEchoed() {
        List<String> errors = errors(doc -> {
            ArrayNode keys = (ArrayNode) doc.get("cluster").get("operatorSshKeys");
            keys.add("-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAAA");
            keys.add("ssh-dss AAAAB3NzaC1kc3MAAACBAP1 old@lab");
        });
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0)).startsWith("cluster.operatorSshKeys[2]: expected an OpenSSH public key line")
                .endsWith("got a value starting with \"-----BEGIN\"").doesNotContain("b3BlbnNzaC1rZXktdjEAAAAA");
        assertThat(errors.get(1)).startsWith("cluster.operatorSshKeys[3]: expected an OpenSSH public key line")
                .contains("types: ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256").endsWith("got a value starting with \"ssh-dss\"");
        assertThat(Lab.state().cluster().operatorSshKeys()).hasSize(2).allMatch(k -> k.startsWith("ssh-ed25519 ") || k.startsWith("ecdsa-sha2-nistp256 "));
    }

    @Test
    void networkMtuAndDomainAreChecked() {
        List<String> errors = errors(doc -> {
            named(doc, "networks", "storage").put("mtu", 65000);
            named(doc, "networks", "mgmt").put("domain", "Mgmt_Lab.example");
        });
        assertThat(errors).containsExactlyInAnyOrder(
                "networks[storage].mtu: must be in 576..9216, got 65000",
                "networks[mgmt].domain: invalid domain \"Mgmt_Lab.example\"");
    }

    @Test
    void classMinimumsOnCoresAndNicSpeedArePositive() {
        List<String> errors = errors(doc -> {
            ObjectNode req = (ObjectNode) named(doc, "nodeClasses", "worker").get("requirements");
            req.put("minCpuCores", 0).put("minNicSpeedMbps", -25000);
        });
        assertThat(errors).containsExactlyInAnyOrder(
                "nodeClasses[worker].requirements.minCpuCores: must be a positive integer, got 0",
                "nodeClasses[worker].requirements.minNicSpeedMbps: must be a positive integer, got -25000");
    }

    @Test
    void diskSelectorsAreCheckedOneByOneAndTheOldSingleObjectStillReads() {
        List<String> errors = errors(doc -> {
            ArrayNode disks = (ArrayNode) named(doc, "enrollmentRules", "storage-hdd").get("match").get("disks");
            ((ObjectNode) disks.get(1)).put("minCount", 0);
            ((ObjectNode) named(doc, "enrollmentRules", "workers-more").get("match")).putArray("disks");
        });
        assertThat(errors).containsExactlyInAnyOrder(
                "enrollmentRules[storage-hdd].match.disks[1].minCount: must be a positive integer, got 0",
                "enrollmentRules[workers-more].match.disks: give at least one disk selector (or leave disks out)");

        // documents exported before selectors became a list carry one object
        ObjectNode doc = Lab.stateJson();
        ObjectNode match = (ObjectNode) named(doc, "enrollmentRules", "workers-epyc").get("match");
        match.set("disks", match.get("disks").get(0));
        ClusterState state = Lab.state(doc);
        ClusterState.EnrollmentRule rule = state.enrollmentRules().stream().filter(r -> r.name().equals("workers-epyc"))
                .findFirst().orElseThrow();
        assertThat(rule.match().disks()).singleElement()
                .isEqualTo(new ClusterState.DiskMatch(1, 1700L << 30, false, null));
        assertThat(IntentValidator.validate(state)).isEmpty();
    }

    @Test
    void paddedHostnamePatternsAndTheFirstIndexAreCheckedOnRenderedNames() {
        List<String> errors = errors(doc -> {
            ObjectNode more = named(doc, "enrollmentRules", "workers-more");
            more.put("maxCount", 2);
            ((ObjectNode) more.get("assign")).put("firstIndex", 9);
            named(doc, "nodes", "cp-3").put("hostname", "wk-10");
            ((ObjectNode) named(doc, "enrollmentRules", "storage-hdd").get("assign")).put("hostnamePattern", "storage-{index:2}");
            ((ObjectNode) named(doc, "enrollmentRules", "workers-epyc").get("assign")).put("firstIndex", -1);
        });
        assertThat(errors).containsExactlyInAnyOrder(
                "enrollmentRules[storage-hdd].assign.hostnamePattern: unknown placeholder {index:2} in \"storage-{index:2}\" "
                        + "(allowed: {index}, or {index:0N} for the index zero-padded to N digits, e.g. {index:02})",
                "enrollmentRules[workers-epyc].assign.firstIndex: must be 0 or more, got -1",
                "enrollmentRules[workers-more].assign.hostnamePattern (index 10): duplicate hostname \"wk-10\" (already used by nodes[cp-3].hostname)");
        assertThat(HostnamePattern.render("wk-{index:02}", 1)).isEqualTo("wk-01");
        assertThat(HostnamePattern.render("wk-{index:03}-{index}", 7)).isEqualTo("wk-007-7");
        assertThat(HostnamePattern.render("wk-{index:02}", 123)).isEqualTo("wk-123");
        assertThat(HostnamePattern.indexOf("wk-{index:02}", 1, "wk-07")).contains(7);
        assertThat(HostnamePattern.indexOf("wk-{index:02}", 1, "wk-7")).isEmpty();
        assertThat(HostnamePattern.indexOf("wk-{index:02}", 1, "wk-00")).isEmpty();
        assertThat(HostnamePattern.indexOf("wk-{index:02}", 0, "wk-00")).contains(0);
        assertThat(HostnamePattern.indexOf("worker-{index}", 1, "worker-01")).isEmpty();
    }

    @Test
    void nodeRootDeviceHintsAreCheckedLikeDiskPolicyHints() {
        List<String> errors = errors(doc -> {
            ((ObjectNode) named(doc, "nodes", "cp-1").get("rootDeviceHints").get(0)).put("operator", "s>=");
            named(doc, "nodes", "cp-2").putArray("rootDeviceHints").addObject()
                    .put("hint", "size").put("operator", "=").putArray("values").add(1700);
            named(doc, "nodes", "cp-3").putArray("rootDeviceHints");
        });
        assertThat(errors).containsExactlyInAnyOrder(
                "nodes[cp-1].rootDeviceHints[serial]: operator \"s>=\" is not allowed on serial (allowed: s==, s!=, <in>, <or>)",
                "nodes[cp-2].rootDeviceHints[size]: operator '=' is not valid for size: Ironic reads '= 1700' as '>= 1700'; "
                        + "write '>= 1700' for at least 1700 GiB or '== 1700' (or 1700) for exactly 1700 GiB",
                "nodes[cp-3].rootDeviceHints: at least one hint is required (the deployer never guesses the root disk)");
    }

    @Test
    void everyOptionalFieldMayBeAbsent() {
        // networks without mtu/domain, a cluster without operatorSshKeys, nodes without hints or autoInstall,
        // rules without firstIndex, classes without the new minimums
        ObjectNode doc = Lab.stateJson();
        ((ObjectNode) doc.get("cluster")).remove("operatorSshKeys");
        doc.get("networks").forEach(n -> ((ObjectNode) n).remove(List.of("mtu", "domain")));
        doc.get("nodes").forEach(n -> ((ObjectNode) n).remove(List.of("rootDeviceHints", "autoInstall")));
        doc.get("enrollmentRules").forEach(r -> ((ObjectNode) r.get("assign")).remove("firstIndex"));
        doc.get("nodeClasses").forEach(c -> ((ObjectNode) c.get("requirements")).remove(List.of("minCpuCores", "minNicSpeedMbps")));
        ClusterState state = Lab.state(doc);
        assertThat(IntentValidator.validate(state)).isEmpty();
        assertThat(state.cluster().operatorSshKeys()).isEmpty();
    }

    @Test
    void nodesAreCheckedForIdentityAndAddresses() {
        List<String> errors = errors(doc -> {
            ((ObjectNode) named(doc, "nodes", "cp-1").get("match")).put("smbiosUuid", "03000200-0400-0500-0006-000700080009");
            ((ObjectNode) named(doc, "nodes", "cp-2").get("addresses").get(1)).put("address", "10.44.0.12");
            named(doc, "nodes", "cp-3").put("machineId", "00000000-0000-3000-8000-000000000000");
        });
        assertThat(errors).containsExactlyInAnyOrder(
                "nodes[cp-1].match.smbiosUuid: \"03000200-0400-0500-0006-000700080009\" is not a usable SMBIOS UUID (malformed or a firmware placeholder); match this machine by mac instead",
                "nodes[cp-2].addresses[storage].address: address 10.44.0.12 is outside network storage (10.43.0.0/24)",
                "nodes[cp-3].machineId: is \"00000000-0000-3000-8000-000000000000\" but fingerprint mac:a8:a1:59:c4:7e:12 gives 039eae11-b80a-326d-b05b-5676ced177d0");
    }

    @Test
    void anInstallProfileMustNameANixosConfigurationForNixosInstall() {
        List<String> errors = errors(doc -> {
            ((ObjectNode) named(doc, "installProfiles", "standard").get("system"))
                    .put("attribute", "nixosConfigurations.{hostname}.config.system.build.toplevel");
            ((ObjectNode) named(doc, "installProfiles", "storage").get("system")).put("attribute", "packages.x86_64-linux.{hostname}");
            // a host rollout builds with nix build, which takes any attribute path
            ((ObjectNode) named(doc, "hostDeployments", "data-plane").get("system"))
                    .put("attribute", "nixosConfigurations.{hostname}.config.system.build.toplevel");
        });
        assertThat(errors).containsExactlyInAnyOrder(
                "installProfiles[standard].system.attribute: nixos-install can only install nixosConfigurations.<name>, "
                        + "got \"nixosConfigurations.{hostname}.config.system.build.toplevel\" (e.g. \"nixosConfigurations.{hostname}\")",
                "installProfiles[storage].system.attribute: nixos-install can only install nixosConfigurations.<name>, "
                        + "got \"packages.x86_64-linux.{hostname}\" (e.g. \"nixosConfigurations.{hostname}\")");
    }

    @Test
    void missingSectionsAndVersionAreReported() {
        List<String> errors = IntentValidator.validate(new ClusterState(2, null, null, null, null, null, null, null,
                null, null, null)).stream().map(IntentError::toString).toList();
        assertThat(errors).containsExactly("schemaVersion: unsupported schema version 2 (this deployer reads 1)",
                "cluster: is required");
    }
}
