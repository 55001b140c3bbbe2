package com.ultracloud.deployer.machine.domain.enrollment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.machine.api.HardwareRequirements;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.intent.ClusterState;
import com.ultracloud.deployer.machine.api.intent.ClusterState.StringMatch;
import com.ultracloud.deployer.machine.domain.MachineFingerprint;
import com.ultracloud.deployer.machine.testdata.Lab;
import com.ultracloud.deployer.protocol.MachineInventory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Enrollment matching on the lab's real intent and the installer's facts of each lab machine. */
class EnrollmentMatcherTest {

    static final ClusterState LAB = Lab.state();

    static Enrollment match(String machine, List<Enrolled> others) {
        return match(Lab.hardware(machine), others);
    }

    static Enrollment match(MachineInventory facts, List<Enrolled> others) {
        return EnrollmentMatcher.match(LAB, 7, new Candidate(null, facts, null), others);
    }

    static MachineInventory toFacts(ObjectNode json) {
        try {
            return Lab.JSON.treeToValue(json, MachineInventory.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aControlPlaneSeedMatchesItsFixedNodeBySmbiosUuid() {
        Enrollment e = match("cp-1", List.of());
        assertThat(e.matched()).isEqualTo("node:cp-1");
        assertThat(e.assignment().hostname()).isEqualTo("cp-1");
        assertThat(e.assignment().nodeId()).isEqualTo("cp-1");
        assertThat(e.assignment().nodeClass()).isEqualTo("control-plane");
        assertThat(e.assignment().pool()).isEqualTo("control-plane");
        assertThat(e.assignment().matchedRule()).isEqualTo("node:cp-1");
        assertThat(e.assignment().intentGeneration()).isEqualTo(7L);
        assertThat(e.assignment().labels()).containsEntry("ultracloud.io/seed", "true")
                .containsEntry("ultracloud.io/role", "control-plane");
        assertThat(e.autoInspect()).isTrue();
        assertThat(e.autoCommission()).isTrue();
        assertThat(e.autoInstall()).as("the lab's seeds install as soon as they are discovered").isTrue();
        assertThat(e.requirements()).isEqualTo(new HardwareRequirements(16, 8, 60L << 30, 1, 800L << 30, 2, 10000));
        assertThat(e.explanation()).containsExactly(
                "node cp-1: matched (fingerprint smbios:7c2a9e00-3f41-11ee-8000-3cecef6a1b20)",
                "rule storage-hdd: disks[0]: 0 non-removable disks with size >= 14000 GiB and rotational=true, need 4",
                "rule workers-epyc: dmi.product: \"SYS-510T-MR\" is not <or> \"AS -1114S-WN10RT\" | \"AS -1114S-WTRT\"",
                "rule workers-more: disks: 0 non-removable disks with size >= 1700 GiB and rotational=false, need 1");
    }

    @Test
    void aBoardWithAPlaceholderUuidMatchesItsNodeByLowestPermanentMac() {
        MachineInventory cp3 = Lab.hardware("cp-3");
        assertThat(MachineFingerprint.of(cp3).value()).isEqualTo("mac:a8:a1:59:c4:7e:12");
        Enrollment e = match(cp3, List.of());
        assertThat(e.matched()).isEqualTo("node:cp-3");
        assertThat(e.explanation().get(0)).isEqualTo("node cp-3: matched (fingerprint mac:a8:a1:59:c4:7e:12)");
    }

    @Test
    void aDellSeedFailsEveryRuleOnItsVendor() {
        Enrollment e = match("cp-2", List.of());
        assertThat(e.matched()).isEqualTo("node:cp-2");
        assertThat(e.explanation()).contains(
                "rule storage-hdd: dmi.vendor: \"Dell Inc.\" is not s== \"Supermicro\"",
                "rule workers-epyc: dmi.vendor: \"Dell Inc.\" is not s== \"Supermicro\"");
    }

    @Test
    void theStorageBoxMatchesTheStorageRuleWithPoolClassAndRuleLabels() {
        Enrollment e = match("storage-1", List.of());
        assertThat(e.matched()).isEqualTo("rule:storage-hdd");
        assertThat(e.assignment().hostname()).isEqualTo("storage-1");
        assertThat(e.assignment().nodeId()).isEqualTo("storage-1");
        assertThat(e.assignment().nodeClass()).isEqualTo("storage");
        assertThat(e.assignment().pool()).isEqualTo("storage");
        assertThat(e.assignment().labels()).isEqualTo(Map.of("ultracloud.io/tier", "storage",
                "ultracloud.io/role", "storage", "ultracloud.io/disk-tier", "hdd"));
        assertThat(e.autoCommission()).isTrue();
        assertThat(e.autoInstall()).isFalse();
        assertThat(e.explanation()).containsExactly(
                "nodes: none of cp-1, cp-2, cp-3 has this machine's fingerprint smbios:9e1d4c80-2a6b-11e9-8000-ac1f6b8e2a10",
                "rule storage-hdd: matched → class storage, pool storage, hostname storage-1",
                "rule workers-epyc: dmi.product: \"SSG-6029P-E1CR12L\" is not <or> \"AS -1114S-WN10RT\" | \"AS -1114S-WTRT\"",
                "rule workers-more: disks: 0 non-removable disks with size >= 1700 GiB and rotational=false, need 1");
    }

    @Test
    void workersGetTheLowestFreeIndexAndTheRuleStopsAtMaxCount() {
        Enrollment first = match("worker-2", List.of());
        assertThat(first.matched()).isEqualTo("rule:workers-epyc");
        assertThat(first.assignment().hostname()).isEqualTo("worker-1");
        assertThat(first.autoInstall()).isTrue();
        assertThat(first.explanation()).contains("rule storage-hdd: disks[0]: 0 non-removable disks with size >= 14000 GiB and rotational=true, need 4");

        Enrolled w1 = new Enrolled("a", "worker-1", "rule:workers-epyc");
        assertThat(match("worker-1", List.of(w1)).assignment().hostname()).isEqualTo("worker-2");

        // worker-1 was freed (retired and gone from the list): the lowest free index is reused
        Enrolled w2 = new Enrolled("b", "worker-2", "rule:workers-epyc");
        assertThat(match("worker-1", List.of(w2)).assignment().hostname()).isEqualTo("worker-1");

        // a third one falls through to the next rule, which has no maxCount and numbers wk-01, wk-02, ...
        Enrollment third = match("worker-1", List.of(w1, w2));
        assertThat(third.matched()).isEqualTo("rule:workers-more");
        assertThat(third.assignment().hostname()).isEqualTo("wk-01");
        assertThat(third.autoInspect()).isFalse();
        assertThat(third.explanation()).contains("rule workers-epyc: maxCount 2 reached (assigned: worker-1, worker-2)",
                "rule workers-more: matched → class worker, pool general, hostname wk-01");
    }

    /**
     * A rule with a maxCount hands out only its maxCount names (worker-1, worker-2), so the write side's hostname
     * claims bound its capacity across replicas (ADR 0007): when an operator gave worker-1 to a machine by hand, the
     * rule has one name left, and none once worker-2 is held too, whatever its count of assigned machines says.
     */
    @Test
    void aRuleWithAMaxCountDrawsOnlyItsOwnNames() {
        Enrolled byHand = new Enrolled("h", "worker-1", null);
        assertThat(match("worker-1", List.of(byHand)).assignment().hostname()).isEqualTo("worker-2");

        Enrolled w2 = new Enrolled("b", "worker-2", "rule:workers-epyc");
        Enrollment full = match("worker-1", List.of(byHand, w2));
        assertThat(full.matched()).isEqualTo("rule:workers-more");
        assertThat(full.explanation()).contains("rule workers-epyc: hostname: no free index for pattern \"worker-{index}\" "
                + "among its maxCount 2 names (worker-1 .. worker-2)");

        // a machine that already holds a name of the rule keeps it; one beyond the rule's names does not
        Candidate holder = new Candidate(null, Lab.hardware("worker-1"), "worker-2");
        assertThat(EnrollmentMatcher.match(LAB, 7, holder, List.of(byHand)).assignment().hostname()).isEqualTo("worker-2");
        Candidate beyond = new Candidate(null, Lab.hardware("worker-1"), "worker-3");
        assertThat(EnrollmentMatcher.match(LAB, 7, beyond, List.of()).assignment().hostname()).isEqualTo("worker-1");
    }

    @Test
    void aFullRuleNamesItsFirstHoldersAndCountsTheRest() {
        ObjectNode doc = Lab.stateJson();
        for (var r : doc.get("enrollmentRules")) {
            if (r.get("name").asText().equals("workers-epyc")) {
                ((ObjectNode) r).put("maxCount", 12);
            }
        }
        List<Enrolled> twelve = new java.util.ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            twelve.add(new Enrolled("m" + i, "worker-" + i, "rule:workers-epyc"));
        }
        Enrollment e = EnrollmentMatcher.match(Lab.state(doc), 1, new Candidate(null, Lab.hardware("worker-1"), null), twelve);
        assertThat(e.explanation()).contains("rule workers-epyc: maxCount 12 reached (assigned: worker-1, worker-10, worker-11, "
                + "worker-12, worker-2, worker-3, worker-4, worker-5, worker-6, worker-7, and 2 more)");
    }

    @Test
    void paddedHostnamesStartAtTheFirstIndexAndAreKeptOnlyWhenWrittenAsThePatternWritesThem() {
        List<Enrolled> workersFull = List.of(new Enrolled("a", "worker-1", "rule:workers-epyc"),
                new Enrolled("b", "worker-2", "rule:workers-epyc"));
        List<Enrolled> withWk01 = List.of(workersFull.get(0), workersFull.get(1), new Enrolled("c", "wk-01", "rule:workers-more"));
        assertThat(match("worker-1", withWk01).assignment().hostname()).isEqualTo("wk-02");
        // its own name is kept when the pattern renders it exactly; "wk-7" is not how wk-{index:02} writes 7
        assertThat(EnrollmentMatcher.match(LAB, 1, new Candidate(null, Lab.hardware("worker-1"), "wk-07"), workersFull)
                .assignment().hostname()).isEqualTo("wk-07");
        assertThat(EnrollmentMatcher.match(LAB, 1, new Candidate(null, Lab.hardware("worker-1"), "wk-7"), workersFull)
                .assignment().hostname()).isEqualTo("wk-01");

        ObjectNode doc = Lab.stateJson();
        for (var r : doc.get("enrollmentRules")) {
            if (r.get("name").asText().equals("workers-more")) {
                ((ObjectNode) r.get("assign")).put("firstIndex", 9);
            }
        }
        ClusterState from9 = Lab.state(doc);
        Enrollment ninth = EnrollmentMatcher.match(from9, 1, new Candidate(null, Lab.hardware("worker-1"), null), workersFull);
        assertThat(ninth.assignment().hostname()).isEqualTo("wk-09");
        List<Enrolled> with9 = List.of(workersFull.get(0), workersFull.get(1), new Enrolled("c", "wk-09", "rule:workers-more"));
        assertThat(EnrollmentMatcher.match(from9, 1, new Candidate(null, Lab.hardware("worker-1"), null), with9)
                .assignment().hostname()).as("past the padding width the index is written in full").isEqualTo("wk-10");
        // below the first index a name is not the rule's: wk-01 is replaced by wk-09
        assertThat(EnrollmentMatcher.match(from9, 1, new Candidate(null, Lab.hardware("worker-1"), "wk-01"), workersFull)
                .assignment().hostname()).isEqualTo("wk-09");
    }

    @Test
    void eachDiskSelectorCountsOnItsOwnAndAcrossModels() {
        // the storage rule wants four big HDDs of any model and the Micron boot SSD: two HDD models still match
        MachineInventory mixed = toFacts(edit("storage-1", j -> {
            ((ObjectNode) j.get("disks").get(1)).put("model", "WUH721816ALE6L4");
            ((ObjectNode) j.get("disks").get(2)).put("model", "WUH721816ALE6L4");
        }));
        assertThat(match(mixed, List.of()).matched()).isEqualTo("rule:storage-hdd");
        // without its boot SSD the second selector fails, and the explanation names it by position
        MachineInventory noSsd = toFacts(edit("storage-1", j -> ((ArrayNode) j.get("disks")).remove(0)));
        Enrollment e = match(noSsd, List.of());
        assertThat(e.matched()).isNull();
        assertThat(e.explanation()).contains("rule storage-hdd: disks[1]: 0 non-removable disks with rotational=false "
                + "and model <in> \"Micron_5300\", need 1");
        // three HDDs are not four
        MachineInventory threeHdds = toFacts(edit("storage-1", j -> ((ArrayNode) j.get("disks")).remove(4)));
        assertThat(match(threeHdds, List.of()).explanation()).contains("rule storage-hdd: disks[0]: 3 non-removable disks "
                + "with size >= 14000 GiB and rotational=true, need 4");
    }

    @Test
    void theSeedsAndTheWorkersInstallByThemselvesTheStorageBoxWaitsAndSaysWhy() {
        AutoInstall seed = EnrollmentMatcher.autoInstall(LAB, "node:cp-1");
        assertThat(seed.automatic()).isTrue();
        assertThat(seed.reason()).isEqualTo("node cp-1 installs automatically (autoInstall = true)");
        assertThat(EnrollmentMatcher.autoInstall(LAB, "rule:workers-epyc"))
                .isEqualTo(new AutoInstall(true, "rule workers-epyc installs automatically (autoInstall = true)"));
        AutoInstall storage = EnrollmentMatcher.autoInstall(LAB, "rule:storage-hdd");
        assertThat(storage.automatic()).isFalse();
        assertThat(storage.reason()).isEqualTo("waits for an operator to request the install: "
                + "rule storage-hdd does not install automatically (autoInstall = false)");
        assertThat(EnrollmentMatcher.autoInstall(LAB, "rule:workers-more").reason())
                .isEqualTo("waits for an operator to request the install: rule workers-more does not install automatically (autoInstall = false)");
        assertThat(EnrollmentMatcher.autoInstall(LAB, null)).isEqualTo(new AutoInstall(false, "waits for an operator to "
                + "request the install: the machine was assigned explicitly, not by a node or rule of the cluster intent"));
        assertThat(EnrollmentMatcher.autoInstall(LAB, "rule:gone").reason()).endsWith("rule gone is no longer in the cluster intent");
        assertThat(EnrollmentMatcher.autoInstall(LAB, "node:cp-9").automatic()).isFalse();
        // what the matcher says of a matching machine agrees
        assertThat(match("cp-2", List.of()).autoInstall()).isTrue();
        assertThat(match("storage-1", List.of()).autoInstall()).isFalse();
    }

    @Test
    void aNodeWithoutAutoInstallWaitsForAnOperator() {
        ObjectNode doc = Lab.stateJson();
        for (var n : doc.get("nodes")) {
            if (n.get("nodeId").asText().equals("cp-2")) {
                ((ObjectNode) n).remove("autoInstall"); // an older document: absent means false
            }
        }
        ClusterState intent = Lab.state(doc);
        assertThat(EnrollmentMatcher.autoInstall(intent, "node:cp-2")).isEqualTo(new AutoInstall(false,
                "waits for an operator to request the install: node cp-2 does not install automatically (autoInstall = false)"));
        assertThat(EnrollmentMatcher.match(intent, 1, new Candidate(null, Lab.hardware("cp-2"), null), List.of()).autoInstall())
                .isFalse();
    }

    @Test
    void aMachineKeepsItsOwnHostnameWhenItsRuleStillProducesIt() {
        Enrollment e = EnrollmentMatcher.match(LAB, 1, new Candidate(null, Lab.hardware("worker-1"), "worker-2"),
                List.of());
        assertThat(e.assignment().hostname()).isEqualTo("worker-2");
    }

    @Test
    void aHostnameHeldByAnotherMachineIsNeverHandedOutAgain() {
        // an operator commissioned some box by hand as worker-1: the rule skips that name
        Enrollment e = match("worker-1", List.of(new Enrolled("x", "worker-1", null)));
        assertThat(e.assignment().hostname()).isEqualTo("worker-2");
    }

    @Test
    void aWorkerWithoutItsNvmeFailsOnDisksAndTheUsbStickDoesNotCount() {
        MachineInventory facts = toFacts(edit("worker-2", j -> ((ArrayNode) j.get("disks")).remove(0)));
        Enrollment e = match(facts, List.of());
        assertThat(e.matched()).isNull();
        assertThat(e.explanation()).contains(
                "rule workers-epyc: disks: 0 non-removable disks with size >= 1700 GiB and rotational=false, need 1",
                "rule workers-more: disks: 0 non-removable disks with size >= 1700 GiB and rotational=false, need 1");
    }

    @Test
    void aWorkerWithSlowNicsFailsOnNics() {
        MachineInventory facts = toFacts(edit("worker-1", j -> j.get("nics").forEach(n -> ((ObjectNode) n).put("speedMbps", 10000))));
        Enrollment e = match(facts, List.of());
        assertThat(e.explanation()).contains(
                "rule workers-epyc: nics: 0 NICs with speed >= 25000 Mbps and driver s== \"mlx5_core\", need 2");
    }

    @Test
    void cpuAndMemoryMinimumsAreCheckedAfterHardwareTraits() {
        MachineInventory lessCpu = toFacts(edit("worker-1", j -> ((ObjectNode) j.get("cpu")).put("threads", 32)));
        assertThat(match(lessCpu, List.of()).explanation()).contains("rule workers-epyc: minCpuThreads: 32 threads, need 48");
        MachineInventory lessMemory = toFacts(edit("worker-1", j -> j.put("memoryBytes", 128L << 30)));
        assertThat(match(lessMemory, List.of()).explanation()).contains("rule workers-epyc: minMemoryBytes: 128 GiB, need 240 GiB");
    }

    @Test
    void vendorCaseAndBlanksDoNotMatter() {
        MachineInventory facts = toFacts(edit("worker-1", j -> ((ObjectNode) j.get("identity")).put("vendor", "  SUPERMICRO ")));
        assertThat(match(facts, List.of()).matched()).isEqualTo("rule:workers-epyc");
    }

    @Test
    void macAndMachineIdSelectorsMatchAnyNicAndTheAggregateId() {
        MachineInventory facts = Lab.hardware("worker-1");
        String id = MachineFingerprint.of(facts).machineId().toString();
        ClusterState.EnrollmentRule byMac = rule("by-mac", new ClusterState.RuleMatch(null,
                List.of("0C:42:A1:3B:5C:D1"), null, null, null, null, null));
        ClusterState.EnrollmentRule byId = rule("by-id", new ClusterState.RuleMatch(List.of(id.toUpperCase()),
                null, null, null, null, null, null));
        ClusterState.EnrollmentRule otherId = rule("other-id", new ClusterState.RuleMatch(
                List.of(MachineId.ofFingerprint("x").toString()), null, null, null, null, null, null));
        assertThat(EnrollmentMatcher.firstFailure(byMac, facts, id)).isNull();
        assertThat(EnrollmentMatcher.firstFailure(byId, facts, id)).isNull();
        assertThat(EnrollmentMatcher.firstFailure(otherId, facts, id)).startsWith("machineIds: " + id + " is not one of");
        ClusterState.EnrollmentRule otherMac = rule("other-mac", new ClusterState.RuleMatch(null,
                List.of("02:00:00:00:00:01"), null, null, null, null, null));
        assertThat(EnrollmentMatcher.firstFailure(otherMac, facts, id)).isEqualTo("macs: no NIC has one of [02:00:00:00:00:01]");
    }

    @Test
    void aRulePatternSkipsHostnamesReservedForFixedNodes() {
        ClusterState.EnrollmentRule cpRule = new ClusterState.EnrollmentRule("more-cp", null, null,
                new ClusterState.RuleAssignment("control-plane", "control-plane", Map.of(), "cp-{index}", null),
                null, true, true, false);
        ClusterState intent = new ClusterState(1, LAB.cluster(), LAB.networks(), LAB.diskPolicies(),
                LAB.installProfiles(), LAB.nodeClasses(), LAB.pools(), List.of(cpRule), LAB.nodes(), List.of(), Map.of());
        Enrollment e = EnrollmentMatcher.match(intent, 1, new Candidate(null, Lab.hardware("worker-1"), null), List.of());
        assertThat(e.assignment().hostname()).isEqualTo("cp-4");
    }

    @Test
    void stringMatchOperators() {
        assertThat(StringMatcher.matches(new StringMatch("s==", List.of("Supermicro")), " supermicro ")).isTrue();
        assertThat(StringMatcher.matches(new StringMatch("s!=", List.of("Dell Inc.")), "Supermicro")).isTrue();
        assertThat(StringMatcher.matches(new StringMatch("s!=", List.of("dell inc.")), "Dell Inc.")).isFalse();
        assertThat(StringMatcher.matches(new StringMatch("<in>", List.of("Micron_5300")), "Micron_5300_MTFDDAK480TDS")).isTrue();
        assertThat(StringMatcher.matches(new StringMatch("<in>", List.of("Micron_7450")), "Micron_5300_MTFDDAK480TDS")).isFalse();
        assertThat(StringMatcher.matches(new StringMatch("<or>", List.of("a", "AS -1114S-WTRT")), "as -1114s-wtrt")).isTrue();
        assertThat(StringMatcher.matches(new StringMatch("<or>", List.of("a", "b")), "c")).isFalse();
        assertThat(StringMatcher.matches(new StringMatch("s!=", List.of("x")), null)).isFalse();
        assertThat(StringMatcher.matches(null, null)).isTrue();
    }

    static ClusterState.EnrollmentRule rule(String name, ClusterState.RuleMatch match) {
        return new ClusterState.EnrollmentRule(name, null, match,
                new ClusterState.RuleAssignment("worker", "general", Map.of(), null, null), null, true, false, false);
    }

    static ObjectNode edit(String machine, java.util.function.Consumer<ObjectNode> edit) {
        ObjectNode json = Lab.hardwareJson(machine);
        edit.accept(json);
        return json;
    }
}
