package com.ultracloud.deployer.bench;

import com.ultracloud.deployer.bench.lab.LabBench;
import com.ultracloud.deployer.bench.replay.ReplayBench;
import com.ultracloud.deployer.bench.scale.ScaleBench;
import com.ultracloud.deployer.bench.storm.StormBench;

import java.util.Arrays;

/**
 * {@code BenchMain storm|scale|replay|lab|rollout [--key=value …]}: the client-side benchmarks, run from the
 * repository root by bench/run.sh (lifecycle runs inside the gateway: bench/lifecycle.sh).
 */
public final class BenchMain {

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: BenchMain storm|scale|replay|lab|rollout [--key=value …]");
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "storm" -> StormBench.main(rest);
            case "scale" -> ScaleBench.main(rest);
            case "replay" -> ReplayBench.main(rest);
            case "lab" -> LabBench.main(rest);
            case "rollout" -> com.ultracloud.deployer.bench.rollout.RolloutBench.main(rest);
            default -> {
                System.err.println("unknown benchmark " + args[0] + "; expected storm, scale, replay, lab or rollout");
                System.exit(2);
            }
        }
        System.exit(0);
    }

    private BenchMain() {
    }
}
