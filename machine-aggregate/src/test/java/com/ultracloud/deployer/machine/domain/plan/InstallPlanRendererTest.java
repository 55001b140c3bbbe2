package com.ultracloud.deployer.machine.domain.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.NodeAssignment;
import com.ultracloud.deployer.machine.api.intent.ClusterState;
import com.ultracloud.deployer.machine.domain.MachineFingerprint;
import com.ultracloud.deployer.protocol.InstallPlan;
import com.ultracloud.deployer.protocol.MachineInventory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Plan rendering on the lab's exported intent and its installers' real discover requests. */
class InstallPlanRendererTest {

    static final ClusterState LAB = Lab.clusterState();
    static final String IMAGE = "https://deployer.lab.ultracloud.example:8443/images/installer";

    static PlanRendering render(String machine, NodeAssignment assignment) {
        return render(LAB, Lab.hardware(machine), assignment);
    }

    static PlanRendering render(ClusterState intent, MachineInventory facts, NodeAssignment assignment) {
        String id = MachineFingerprint.of(facts).machineId().toString();
        return InstallPlanRenderer.render(new InstallPlanRenderer.Input("plan-1", intent, 7L, id, assignment, facts, IMAGE));
    }

    static NodeAssignment assign(String nodeId, String hostname, String nodeClass, String pool) {
        return new NodeAssignment(nodeId, hostname, nodeClass, pool, Map.of("rack", "a"), null, 7L);
    }

    @Test
    void aControlPlaneSeedGetsTheNvmeItsNodeHintsNameByIdAndItsStaticAddresses() {
        PlanRendering r = render("cp-1", assign("cp-1", "cp-1", "control-plane", "control-plane"));
        assertThat(r.rendered()).as(r.toString()).isTrue();
        PlanRendering.Rendered rendered = (PlanRendering.Rendered) r;
        InstallPlan plan = rendered.plan();
        assertThat(plan.planId()).isEqualTo("plan-1");
        assertThat(plan.intentGeneration()).isEqualTo(7L);
        assertThat(plan.installProfile()).isEqualTo("standard");
        assertThat(plan.system().flake()).isEqualTo("git+https://git.lab.ultracloud.example/infra/fleet?ref=main");
        assertThat(plan.system().attribute()).isEqualTo("nixosConfigurations.cp-1");
        assertThat(plan.system().configuration()).as("what nixos-install --flake <flake>#<name> takes").isEqualTo("cp-1");
        // cp-1 has two identical NVMe; its node's hints (serial) choose the second, in place of the
        // class's disk policy (which would take the first). nvme-eui. ranks above nvme-<model>_<serial>.
        assertThat(plan.rootDevice().path()).isEqualTo("/dev/disk/by-id/nvme-eui.000000000000000100a075233c1a4e5f");
        assertThat(plan.rootDevice().matchedHints()).containsExactly(Map.entry("serial", "s== 23083C1A4E5F"));
        assertThat(plan.rootDevice().reason()).startsWith("Hints of node 'cp-1' (in place of disk policy 'nvme-root'): Chose nvme1n1");
        assertThat(plan.rootDevice().rejected()).singleElement().asString().startsWith("nvme0n1").contains("serial");
        // layout and wipe still come from the disk policy
        assertThat(plan.diskLayout()).isEqualTo("single-ext4");
        assertThat(plan.wipe()).isEqualTo("root-disk");
        assertThat(plan.kernelParams()).containsExactly("console=tty0", "console=ttyS0,115200n8");
        assertThat(plan.imageUrl()).isEqualTo(IMAGE);
        assertThat(plan.network().mode()).isEqualTo("static");
        assertThat(plan.network().addresses()).extracting(InstallPlan.Address::address)
                .containsExactly("10.42.0.11/24", "10.43.0.11/24");
        assertThat(plan.network().addresses().get(0).mac()).isEqualTo("3c:ec:ef:6a:1b:20");
        assertThat(plan.network().gateway()).isEqualTo("10.42.0.1");
        assertThat(plan.network().dns()).containsExactly("10.42.0.1");
        // the install network's domain and MTU (mgmt: a domain, the default MTU); the storage address is jumbo
        assertThat(plan.network().domain()).isEqualTo("mgmt.lab.ultracloud.example");
        assertThat(plan.network().mtu()).isNull();
        assertThat(plan.network().addresses()).extracting(InstallPlan.Address::mtu).containsExactly(null, 9000);
        assertThat(rendered.staticAddresses()).containsExactly("10.42.0.11", "10.43.0.11");
        assertThat(rendered.fqdn()).isEqualTo("cp-1.mgmt.lab.ultracloud.example");
        assertThat(rendered.assignment().failureDomain()).isEqualTo("rack-a");
        assertThat(rendered.assignment().nodeClass()).isEqualTo("control-plane");
    }

    @Test
    void withoutNodeHintsTheDiskPolicyChoosesAndSaysSo() {
        // a box built like cp-1 (another SMBIOS UUID) commissioned by hand is not node cp-1: the policy's hints apply
        MachineInventory cp1 = Lab.hardware("cp-1");
        MachineInventory twin = new MachineInventory(new MachineInventory.SystemIdentity("5d1e0c00-3f41-11ee-8000-3cecef6a1c30",
                "S522877X3A07999", null, "Supermicro", "SYS-510T-MR"), List.of(), cp1.disks(), cp1.cpu(), cp1.memoryBytes(),
                cp1.boot(), cp1.network(), cp1.installer());
        PlanRendering r = render(LAB, twin, assign("spare-1", "spare-1", "control-plane", "control-plane"));
        InstallPlan plan = ((PlanRendering.Rendered) r).plan();
        assertThat(plan.rootDevice().path()).isEqualTo("/dev/disk/by-id/nvme-eui.000000000000000100a075233c1a2b3d");
        assertThat(plan.rootDevice().matchedHints()).containsEntry("size", ">= 800").containsKey("rotational");
        assertThat(plan.rootDevice().reason()).startsWith("Hints of disk policy 'nvme-root': Chose nvme0n1");
        assertThat(plan.network().mode()).isEqualTo("dhcp");
    }

    @Test
    void invalidNodeHintsRefuseThePlanNamingTheNode() {
        List<ClusterState.Node> nodes = LAB.nodes().stream().map(n -> !n.nodeId().equals("cp-1") ? n
                : new ClusterState.Node(n.nodeId(), n.hostname(), n.match(), n.fingerprint(), n.machineId(), n.nodeClass(),
                n.pool(), n.labels(), n.description(), n.addresses(),
                List.of(new ClusterState.Hint("serial", "s==", List.of("NOT-THERE"))), n.autoInstall())).toList();
        ClusterState intent = new ClusterState(LAB.schemaVersion(), LAB.cluster(), LAB.networks(), LAB.diskPolicies(),
                LAB.installProfiles(), LAB.nodeClasses(), LAB.pools(), LAB.enrollmentRules(), nodes, LAB.hostDeployments(),
                LAB.servicePolicies());
        PlanRendering.Refused r = (PlanRendering.Refused) render(intent, Lab.hardware("cp-1"),
                assign("cp-1", "cp-1", "control-plane", "control-plane"));
        assertThat(r.reason()).startsWith("no disk matches the root-device hints of node 'cp-1'");
        assertThat(r.problems()).hasSize(2).allSatisfy(p -> assertThat(p).contains("serial"));
    }

    @Test
    void theFqdnUsesTheClusterDomainWhenTheInstallNetworkHasNone() {
        List<ClusterState.Network> networks = LAB.networks().stream().map(n -> new ClusterState.Network(n.name(), n.cidr(),
                n.prefixLength(), n.gateway(), n.dns(), n.vlan(), 1500, null)).toList();
        ClusterState intent = new ClusterState(LAB.schemaVersion(), LAB.cluster(), networks, LAB.diskPolicies(),
                LAB.installProfiles(), LAB.nodeClasses(), LAB.pools(), LAB.enrollmentRules(), LAB.nodes(), LAB.hostDeployments(),
                LAB.servicePolicies());
        PlanRendering.Rendered r = (PlanRendering.Rendered) render(intent, Lab.hardware("worker-1"),
                assign("worker-1", "worker-1", "worker", "general"));
        assertThat(r.fqdn()).isEqualTo("worker-1.lab.ultracloud.example");
        assertThat(r.plan().network().domain()).isEqualTo("lab.ultracloud.example");
        assertThat(r.plan().network().mtu()).isEqualTo(1500);
    }

    @Test
    void aWorkerMatchedByRulesGetsDhcpAndItsHostnameInTheSystemAttribute() {
        PlanRendering r = render("worker-1", assign("worker-1", "worker-1", "worker", "general"));
        InstallPlan plan = ((PlanRendering.Rendered) r).plan();
        assertThat(plan.system().attribute()).isEqualTo("nixosConfigurations.worker-1");
        assertThat(plan.system().configuration()).isEqualTo("worker-1");
        assertThat(plan.network().mode()).isEqualTo("dhcp");
        assertThat(plan.network().addresses()).isEmpty();
        assertThat(plan.network().network()).isEqualTo("mgmt");
        assertThat(plan.rootDevice().path()).startsWith("/dev/disk/by-id/nvme-eui.");
        assertThat(((PlanRendering.Rendered) r).staticAddresses()).isEmpty();
    }

    @Test
    void theStorageBoxBootsFromItsSataSsdSelectedByModelAndRejectsTheHdds() {
        PlanRendering r = render("storage-1", assign("storage-1", "storage-1", "storage", "storage"));
        InstallPlan plan = ((PlanRendering.Rendered) r).plan();
        assertThat(plan.installProfile()).isEqualTo("storage");
        assertThat(plan.rootDevice().path()).isEqualTo("/dev/disk/by-id/wwn-0x500a0751300a1b2c");
        assertThat(plan.rootDevice().matchedHints()).containsEntry("model", "<in> Micron_5300");
        assertThat(plan.rootDevice().rejected()).hasSize(4).allSatisfy(why -> assertThat(why).contains("model"));
        assertThat(plan.wipe()).isEqualTo("all-non-removable");
        assertThat(plan.kernelParams()).contains("intel_iommu=on");
    }

    @Test
    void noPlanNamesAKernelDevicePath() {
        for (String m : List.of("cp-1", "cp-2", "cp-3", "worker-1", "worker-2")) {
            PlanRendering r = render(m, assign(m, m, "control-plane", "control-plane"));
            assertThat(r.rendered()).as(m + ": " + r).isTrue();
            assertThat(((PlanRendering.Rendered) r).plan().rootDevice().path())
                    .matches("/dev/disk/by-(id|path)/.+").doesNotStartWith("/dev/sd").doesNotStartWith("/dev/nvme");
        }
    }

    @Test
    void noDiskMatchingTheHintsMeansNoPlanAndSaysWhyForEveryDisk() {
        // the storage box under the NVMe policy: every disk is rotational or too small
        PlanRendering r = render("storage-1", assign("storage-1", "storage-1", "worker", "general"));
        assertThat(r.rendered()).isFalse();
        PlanRendering.Refused refused = (PlanRendering.Refused) r;
        assertThat(refused.reason()).contains("nvme-root");
        assertThat(refused.problems()).hasSize(5);
        assertThat(refused.problems()).anySatisfy(p -> assertThat(p).startsWith("sda").contains("size"));
        assertThat(refused.problems()).anySatisfy(p -> assertThat(p).startsWith("sdb").contains("rotational"));
    }

    @Test
    void unknownClassMissingIntentOrAssignmentAreRefusedWithTheReason() {
        assertThat(((PlanRendering.Refused) render("cp-1", assign("x", "x", "gpu", "general"))).reason())
                .contains("node class 'gpu'");
        assertThat(((PlanRendering.Refused) render(null, Lab.hardware("cp-1"), assign("x", "x", "worker", "general"))).reason())
                .contains("no cluster intent");
        assertThat(((PlanRendering.Refused) render(LAB, Lab.hardware("cp-1"), null)).reason())
                .contains("no node assignment");
    }

    @Test
    void invalidHintsAreErrorsNamingTheHintNotGuesses() {
        ClusterState broken = withHints(List.of(
                new ClusterState.Hint("size", "~=", List.of("800")),
                new ClusterState.Hint("colour", "s==", List.of("blue")),
                new ClusterState.Hint("rotational", "==", List.of("perhaps"))));
        PlanRendering.Refused r = (PlanRendering.Refused) render(broken, Lab.hardware("cp-2"),
                assign("cp-2", "cp-2", "control-plane", "control-plane"));
        assertThat(r.problems()).hasSize(3).allSatisfy(p -> assertThat(p).startsWith("disk policy 'nvme-root': hint "));
        assertThat(r.problems()).anySatisfy(p -> assertThat(p).contains("hint size"));
        assertThat(r.problems()).anySatisfy(p -> assertThat(p).contains("hint colour"));
        assertThat(r.problems()).anySatisfy(p -> assertThat(p).contains("hint rotational"));
    }

    @Test
    void aSystemAttributeThatIsNotANixosConfigurationGetsNoPlan() {
        // an intent imported before the validator refused such attributes
        ObjectNode doc = com.ultracloud.deployer.machine.testdata.Lab.stateJson();
        doc.get("installProfiles").forEach(p -> ((ObjectNode) p.get("system"))
                .put("attribute", "nixosConfigurations.{hostname}.config.system.build.toplevel"));
        ClusterState intent = com.ultracloud.deployer.machine.testdata.Lab.state(doc);

        PlanRendering.Refused r = (PlanRendering.Refused) render(intent, Lab.hardware("cp-1"),
                assign("cp-1", "cp-1", "control-plane", "control-plane"));

        assertThat(r.problems()).containsExactly("install profile 'standard': system attribute "
                + "'nixosConfigurations.cp-1.config.system.build.toplevel' is not nixosConfigurations.<name>, "
                + "the only kind of system nixos-install installs");
    }

    @Test
    void camelCaseHintNamesAndOperatorsBecomeIronicExpressions() {
        List<String> problems = new ArrayList<>();
        Map<String, Object> raw = InstallPlanRenderer.ironicHints(List.of(
                new ClusterState.Hint("wwnWithExtension", "s==", List.of("0x5000c500c8a1b2c3")),
                new ClusterState.Hint("byPath", "<in>", List.of("pci-0000:3b:00.0")),
                new ClusterState.Hint("serial", "<or>", List.of("A1", "B2")),
                new ClusterState.Hint("size", ">", List.of("100")),
                new ClusterState.Hint("rotational", "==", List.of("false")),
                new ClusterState.Hint("wwnVendorExtension", null, List.of("0x1"))), problems);
        assertThat(problems).isEmpty();
        assertThat(raw).containsExactly(Map.entry("wwn_with_extension", "s== 0x5000c500c8a1b2c3"),
                Map.entry("by_path", "<in> pci-0000:3b:00.0"), Map.entry("serial", "<or> A1 <or> B2"),
                Map.entry("size", "> 100"), Map.entry("rotational", "false"), Map.entry("wwn_vendor_extension", "0x1"));
        InstallPlanRenderer.ironicHints(List.of(new ClusterState.Hint("model", "s==", List.of("a", "b"))), problems);
        assertThat(problems).singleElement().asString().contains("<or>");
    }

    @Test
    void theUsbStickIsNeverTheRootDiskEvenWhenItMatchesEveryHint() {
        MachineInventory cp1 = Lab.hardware("cp-1");
        MachineInventory.Disk stick = new MachineInventory.Disk("/dev/sda", List.of("/dev/disk/by-id/usb-SanDisk_Ultra_4C53-0:0"),
                "/dev/disk/by-path/pci-0000:00:14.0-usb-0:1:1.0-scsi-0:0:0:0", 1_000_204_886_016L, "Ultra", "SanDisk",
                "4C53", null, null, null, "6:0:0:0", false, true, "usb");
        List<MachineInventory.Disk> disks = new ArrayList<>();
        disks.add(stick);
        disks.addAll(cp1.disks());
        MachineInventory withStick = new MachineInventory(cp1.identity(), cp1.nics(), disks, cp1.cpu(), cp1.memoryBytes(),
                cp1.boot(), cp1.network(), cp1.installer());
        InstallPlan plan = ((PlanRendering.Rendered) render(LAB, withStick,
                assign("cp-1", "cp-1", "control-plane", "control-plane"))).plan();
        assertThat(plan.rootDevice().path()).startsWith("/dev/disk/by-id/nvme-");
        assertThat(plan.rootDevice().rejected()).anySatisfy(r -> assertThat(r).startsWith("sda").containsIgnoringCase("removable"));
    }

    private static ClusterState withHints(List<ClusterState.Hint> hints) {
        List<ClusterState.DiskPolicy> policies = LAB.diskPolicies().stream()
                .map(d -> d.name().equals("nvme-root") ? new ClusterState.DiskPolicy(d.name(), hints, d.layout(), d.wipe(), null) : d)
                .toList();
        return new ClusterState(LAB.schemaVersion(), LAB.cluster(), LAB.networks(), policies, LAB.installProfiles(),
                LAB.nodeClasses(), LAB.pools(), LAB.enrollmentRules(), LAB.nodes(), LAB.hostDeployments(), LAB.servicePolicies());
    }

}
