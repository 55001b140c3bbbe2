package com.ultracloud.deployer.installer.facts;

import com.ultracloud.deployer.protocol.MachineInventory.Cpu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * CPU facts from {@code /proc/cpuinfo}: threads = processor entries, sockets = distinct
 * {@code physical id}s, cores = distinct {@code core id}s summed per socket (core ids repeat across
 * sockets), else {@code cpu cores} × sockets. The architecture of the live machine is the JVM's
 * {@code os.arch}; for a recorded tree it is inferred from the recorded cpuinfo (x86 {@code lm} flag,
 * ARM {@code CPU architecture}), since the recording need not come from the machine running the tests.
 */
final class CpuReader {

    private final SystemRoot root;

    CpuReader(SystemRoot root) {
        this.root = root;
    }

    Cpu read() {
        List<Map<String, String>> processors = processors(root.lines(root.path("/proc/cpuinfo")));
        if (processors.isEmpty()) {
            return new Cpu(null, arch(processors), null, null, null);
        }
        Map<String, Set<String>> coresBySocket = new TreeMap<>();
        boolean coreIds = true;
        for (Map<String, String> p : processors) {
            String socket = p.getOrDefault("physical id", "0");
            Set<String> cores = coresBySocket.computeIfAbsent(socket, s -> new TreeSet<>());
            if (p.containsKey("core id")) {
                cores.add(p.get("core id"));
            } else {
                coreIds = false;
            }
        }
        int sockets = coresBySocket.size();
        Integer cores;
        if (coreIds) {
            cores = coresBySocket.values().stream().mapToInt(Set::size).sum();
        } else {
            Integer perSocket = Numbers.parseInt(processors.get(0).get("cpu cores"));
            cores = perSocket == null ? processors.size() : perSocket * sockets;
        }
        String model = processors.stream().map(p -> p.getOrDefault("model name", p.get("Model")))
                .filter(m -> m != null && !m.isBlank()).findFirst().orElse(null);
        return new Cpu(model, arch(processors), sockets, cores, processors.size());
    }

    private String arch(List<Map<String, String>> processors) {
        if (root.isLive()) {
            return normalise(System.getProperty("os.arch"));
        }
        for (Map<String, String> p : processors) {
            String flags = p.get("flags");
            if (flags != null) {
                return List.of(flags.split("\\s+")).contains("lm") ? "x86_64" : "i686";
            }
            if ("8".equals(p.get("CPU architecture"))) {
                return "aarch64";
            }
        }
        return normalise(System.getProperty("os.arch"));
    }

    static String normalise(String osArch) {
        if (osArch == null) {
            return null;
        }
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> osArch;
        };
    }

    /** One key/value map per processor block; blocks are separated by blank lines and start at "processor". */
    private static List<Map<String, String>> processors(List<String> lines) {
        List<Map<String, String>> processors = new ArrayList<>();
        Map<String, String> current = null;
        Map<String, String> shared = new HashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (key.equals("processor")) {
                current = new LinkedHashMap<>();
                processors.add(current);
            }
            if (current == null) {
                shared.put(key, value); // e.g. lines before the first processor
            } else {
                current.put(key, value);
            }
        }
        // ARM kernels print "Hardware"/"Model" after the blocks: share those with every processor
        processors.forEach(p -> shared.forEach(p::putIfAbsent));
        return processors;
    }
}
