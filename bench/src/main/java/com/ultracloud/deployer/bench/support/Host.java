package com.ultracloud.deployer.bench.support;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The machine the benchmark runs on: load average, cores, a process's resident memory. */
public final class Host {

    private Host() {
    }

    /** The 1, 5 and 15 minute load averages, e.g. {@code 3.10/2.55/1.90}. */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + "/" + f[1] + "/" + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** CPU time (user + system) the process has used so far, in milliseconds; 0 when the JDK cannot tell. */
    public static long processCpuMillis(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(d -> d.toMillis()).orElse(0L);
    }

    /**
     * CPU time the whole machine has spent busy so far (every process: gateway, PostgreSQL, the load
     * generator), in milliseconds, from /proc/stat; 0 off Linux. Work per request, unlike throughput, does not
     * move with what else the machine happens to be doing.
     */
    public static long machineBusyMillis() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i : new int[]{1, 2, 3, 6, 7, 8}) { // user nice system irq softirq steal
                busy += Long.parseLong(f[i]);
            }
            return busy * 10; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * CPU time (user + system) the JVM's JIT compiler threads ({@code C1 CompilerThread…}, {@code C2 CompilerThread…})
     * of a process have used so far, in milliseconds, from /proc/&lt;pid&gt;/task/*&#47;stat; 0 off Linux. On two cores
     * a freshly started gateway's compiler competes with its requests for minutes (docs/benchmarks.md). Only live
     * threads count: on machines with more cores the JVM also starts extra compiler threads and ends them when idle,
     * and an ended thread's CPU is no longer listed (on two cores it keeps its one C1 and one C2 thread).
     */
    public static long compilerCpuMillis(long pid) {
        long ticks = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime stime
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks * 10; // USER_HZ is 100 on Linux
    }

    /** VmRSS of a process in KiB (from /proc/&lt;pid&gt;/status), or -1. */
    public static long rssKib(long pid) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/status"));
            for (String l : lines) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone, or not Linux
        }
        return -1;
    }

    /** Prints where a benchmark runs, once, for people and as a context RESULT line. */
    public static void describe(String bench, String... settings) {
        String load = loadAverage();
        System.out.println("== " + bench + " on " + cores() + " cores, load average " + load + ", java "
                + System.getProperty("java.version") + " ==");
        String[] kv = new String[settings.length + 6];
        kv[0] = "cores";
        kv[1] = String.valueOf(cores());
        kv[2] = "load";
        kv[3] = load;
        kv[4] = "java";
        kv[5] = System.getProperty("java.version");
        System.arraycopy(settings, 0, kv, 6, settings.length);
        Results.context(bench, kv);
    }
}
