package com.ultracloud.deployer.e2e;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No production jar carries benchmark code (issue 9): the built gateway jar (its classes and every jar nested
 * in it) and the installer jar hold no class of a {@code bench} package and nothing named {@code *Benchmark*}.
 * Benchmarks live in the {@code bench} module, which no production jar includes.
 */
class ProductionJarsIT {

    @Test
    void theGatewayJarHoldsNoBenchmarkCode() throws IOException {
        List<String> entries = entries(GatewayProcess.GATEWAY_JAR);
        assertThat(entries).anyMatch(e -> e.endsWith("com/ultracloud/deployer/DeployerApplication.class"));
        assertThat(entries).filteredOn(ProductionJarsIT::isBenchmark).isEmpty();
    }

    @Test
    void theInstallerJarHoldsNoBenchmarkCode() throws IOException {
        List<String> entries = entries(GatewayProcess.INSTALLER_JAR);
        assertThat(entries).anyMatch(e -> e.startsWith("com/ultracloud/deployer/installer/"));
        assertThat(entries).filteredOn(ProductionJarsIT::isBenchmark).isEmpty();
    }

    /** Our own entries only (third-party jars may have their own notion of "bench"). */
    private static boolean isBenchmark(String entry) {
        String ours = entry.substring(entry.lastIndexOf('!') + 1);
        if (!ours.contains("com/ultracloud/")) {
            return false;
        }
        String name = ours.substring(ours.lastIndexOf('/') + 1);
        return ours.contains("/bench/") || name.contains("Benchmark") || name.contains("BenchMain");
    }

    /** Every entry of the jar, and of each jar nested in it as {@code outer!inner}. */
    private static List<String> entries(Path jar) throws IOException {
        assertThat(jar).as("built by `package` before the integration tests").exists();
        List<String> out = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry e : java.util.Collections.list(file.entries())) {
                out.add(e.getName());
                if (e.getName().endsWith(".jar")) {
                    try (InputStream in = file.getInputStream(e); JarInputStream nested = new JarInputStream(in)) {
                        for (JarEntry n = nested.getNextJarEntry(); n != null; n = nested.getNextJarEntry()) {
                            out.add(e.getName() + "!" + n.getName());
                        }
                    }
                }
            }
        }
        return out;
    }
}
