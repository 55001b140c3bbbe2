package com.ultracloud.deployer.machine.domain.plan;

import com.ultracloud.deployer.machine.api.NodeAssignment;
import com.ultracloud.deployer.machine.api.intent.ClusterState;
import com.ultracloud.deployer.machine.domain.MachineFingerprint;
import com.ultracloud.deployer.protocol.disk.RootDeviceHints;
import com.ultracloud.deployer.protocol.disk.RootDeviceResolver;
import com.ultracloud.deployer.protocol.MachineInventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Plan rendering for a fleet of machines (default 1,000: the lab's six hardware kinds, each with its
 * own hostname), timed in rounds after a warm-up, against a baseline measured in the same run and on
 * the same inputs: hint parsing + root-device resolution alone (the core of a plan). Prints per-plan
 * times, plans/s and the ratio. A main, not a test: figures, not assertions.
 *
 * <p>Run from the repository root: {@code bench/install.sh} (see docs/benchmarks.md).
 */
public final class InstallPlanBenchmark {

    private InstallPlanBenchmark() {
    }

    public static void main(String[] args) {
        int machines = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        ClusterState intent = Lab.clusterState();
        List<String> kinds = List.of("cp-1", "cp-2", "cp-3", "worker-1", "worker-2", "storage-1");
        List<InstallPlanRenderer.Input> inputs = new ArrayList<>();
        for (int i = 0; i < machines; i++) {
            String kind = kinds.get(i % kinds.size());
            MachineInventory facts = Lab.hardware(kind);
            boolean storage = kind.startsWith("storage");
            String hostname = (storage ? "storage-" : "node-") + i;
            NodeAssignment a = new NodeAssignment(hostname, hostname, storage ? "storage" : "worker", storage ? "storage" : "general",
                    Map.of("rack", "r" + (i % 8)), null, 1L);
            inputs.add(new InstallPlanRenderer.Input("plan-" + i, intent, 1L, MachineFingerprint.of(facts).machineId().toString(),
                    a, facts, "https://deployer.lab/images/installer"));
        }
        List<Map<String, Object>> hints = new ArrayList<>();
        for (InstallPlanRenderer.Input in : inputs) {
            String policy = in.assignment().nodeClass().equals("storage") ? "sata-boot" : "nvme-root";
            hints.add(InstallPlanRenderer.ironicHints(intent.diskPolicies().stream().filter(d -> d.name().equals(policy))
                    .findFirst().orElseThrow().rootDeviceHints(), new ArrayList<>()));
        }
        long sink = 0;
        for (int w = 0; w < 3; w++) { // warm-up: both paths
            sink += renderAll(inputs) + resolveAll(inputs, hints);
        }
        long renderNanos = 0;
        long baselineNanos = 0;
        for (int r = 0; r < rounds; r++) { // interleaved, so drift affects both alike
            long t0 = System.nanoTime();
            sink += renderAll(inputs);
            long t1 = System.nanoTime();
            sink += resolveAll(inputs, hints);
            long t2 = System.nanoTime();
            renderNanos += t1 - t0;
            baselineNanos += t2 - t1;
        }
        double perPlanUs = renderNanos / 1e3 / ((double) machines * rounds);
        double perBaselineUs = baselineNanos / 1e3 / ((double) machines * rounds);
        System.out.printf("install-plan rendering: %d machines x %d rounds (%s %s)%n", machines, rounds,
                System.getProperty("java.vm.name"), System.getProperty("java.version"));
        System.out.printf("  render plan (intent lookup + hints + resolve + network + plan) %8.1f us/plan  %8.0f plans/s  %7.1f ms per %d machines%n",
                perPlanUs, 1e6 / perPlanUs, perPlanUs * machines / 1e3, machines);
        System.out.printf("  baseline: parse hints + resolve root device                   %8.1f us/plan  %8.0f plans/s  %7.1f ms per %d machines%n",
                perBaselineUs, 1e6 / perBaselineUs, perBaselineUs * machines / 1e3, machines);
        System.out.printf("  ratio render/baseline: %.2f   (checksum %d)%n", perPlanUs / perBaselineUs, sink);
    }

    private static long renderAll(List<InstallPlanRenderer.Input> inputs) {
        long n = 0;
        for (InstallPlanRenderer.Input in : inputs) {
            PlanRendering r = InstallPlanRenderer.render(in);
            if (!r.rendered()) {
                throw new IllegalStateException("no plan for " + in.assignment().hostname() + ": " + r);
            }
            n += ((PlanRendering.Rendered) r).plan().rootDevice().path().length();
        }
        return n;
    }

    private static long resolveAll(List<InstallPlanRenderer.Input> inputs, List<Map<String, Object>> hints) {
        long n = 0;
        for (int i = 0; i < inputs.size(); i++) {
            n += RootDeviceResolver.resolve(inputs.get(i).facts().disks(), RootDeviceHints.parse(hints.get(i))).path().length();
        }
        return n;
    }
}
