package com.ultracloud.deployer.bench.lab;

import com.ultracloud.deployer.bench.support.Host;
import com.ultracloud.deployer.bench.support.Options;
import com.ultracloud.deployer.bench.support.Results;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bench/lab.sh wrapped: {@code --machines} installer-lab machines, {@code --concurrency} in flight, from
 * discover to INSTALLED against the gateway on PostgreSQL. Prints the lab's own wall time and machines/s
 * with the load average before and after. The comparison is the OpenStack Ironic figure (200 nodes
 * enroll → active, 50 in flight, 40–58 s), which cannot be measured here: it is printed as a reference,
 * not as a same-run baseline.
 */
public final class LabBench {

    static final Pattern SUMMARY = Pattern.compile("(\\d+) machines, (\\d+) INSTALLED.* in ([0-9.]+) s: ([0-9.]+) machines/s");
    static final String IRONIC = "Ironic_40-58s_(issue_9,_200_nodes,_50_in_flight,_not_measured_here)";

    public static void main(String[] args) throws Exception {
        Options o = new Options(args);
        int machines = o.integer("machines", 200);
        int concurrency = o.integer("concurrency", 50);
        String bench = "lab-" + machines + "x" + concurrency;
        Host.describe(bench, "machines", String.valueOf(machines), "concurrency", String.valueOf(concurrency),
                "security", "lab-mode");
        String loadBefore = Host.loadAverage();
        Process p = new ProcessBuilder("bench/lab.sh", String.valueOf(machines), String.valueOf(concurrency))
                .redirectErrorStream(true).start();
        Matcher summary = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            String line;
            while ((line = out.readLine()) != null) {
                System.out.println("  | " + line);
                Matcher m = SUMMARY.matcher(line);
                if (m.find()) {
                    summary = m;
                }
            }
        }
        int exit = p.waitFor();
        String loadAfter = Host.loadAverage();
        if (summary == null) {
            throw new IllegalStateException("bench/lab.sh printed no summary (exit " + exit + ")");
        }
        double seconds = Double.parseDouble(summary.group(3));
        String[] extra = {"installed", summary.group(2), "machines", summary.group(1), "load_before", loadBefore,
                "load_after", loadAfter, "lab_exit", String.valueOf(exit)};
        Results.reference(bench, "wall", seconds, "s", IRONIC, extra);
        Results.figure(bench, "throughput", Double.parseDouble(summary.group(4)), "machines/s", extra);
    }

    private LabBench() {
    }
}
