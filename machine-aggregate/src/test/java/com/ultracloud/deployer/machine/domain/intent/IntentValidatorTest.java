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
                "enrollmentRules[storage-hdd].assign.hostnamePattern: unknown placeholder {n} in \"storage-{n}\" (allowed: {index})",
                "enrollmentRules[storage-hdd].autoInstall: autoInstall requires autoCommission = true",
                "enrollmentRules[storage-hdd].match.dmi.vendor.operator: operator \"==\" is not allowed on a string (allowed: s==, s!=, <in>, <or>)",
                "enrollmentRules[workers-epyc].maxCount: must be a positive integer, got 0");
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
