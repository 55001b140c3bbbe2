package com.ultracloud.deployer.gateway.bootstrap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.machine.api.intent.ClusterState;
import com.ultracloud.deployer.gateway.RunningGateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lab's exported cluster state (nix/examples/lab/expected-cluster-state.json), imported through
 * the real API. Bootstrap tests start the gateway with enrollment automation off, so that every
 * lifecycle step in them is the test's own (the enrollment policy is tested in LabEnrollmentTest).
 */
public final class LabIntent {

    static final ObjectMapper JSON = new ObjectMapper();
    public static final Path LAB = locate();

    private LabIntent() {
    }

    /** A gateway with the lab intent imported and enrollment automation off. */
    public static RunningGateway start(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--deployer.enrollment.automation=false");
        RunningGateway gw = RunningGateway.start(all.toArray(String[]::new));
        importInto(gw);
        return gw;
    }

    /**
     * A gateway with the lab intent minus its host deployments: for tests that set desired systems themselves.
     * The lab's own {@code data-plane} deployment selects every worker and storage box, and would otherwise
     * drain or roll out a test's machine as soon as it is ACTIVE, racing the test's reads.
     */
    public static RunningGateway startWithoutHostDeployments(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--deployer.enrollment.automation=false");
        RunningGateway gw = RunningGateway.start(all.toArray(String[]::new));
        try {
            ObjectNode doc = (ObjectNode) JSON.readTree(LAB.resolve("expected-cluster-state.json").toFile());
            doc.putArray("hostDeployments");
            RunningGateway.Response r = gw.put("/api/v1/cluster/intent", JSON.writeValueAsString(doc));
            if (r.status() != 200) {
                throw new IllegalStateException("lab intent import failed: " + r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return gw;
    }

    /** PUT the lab's cluster state; importing it again is a no-op. */
    public static void importInto(RunningGateway gw) {
        try {
            RunningGateway.Response r = gw.put("/api/v1/cluster/intent",
                    Files.readString(LAB.resolve("expected-cluster-state.json")));
            if (r.status() != 200) {
                throw new IllegalStateException("lab intent import failed: " + r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ClusterState clusterState() {
        try {
            return JSON.readValue(LAB.resolve("expected-cluster-state.json").toFile(), ClusterState.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A lab machine's discover request (nix/examples/lab/hardware/NAME.json). */
    public static ObjectNode hardware(String name) {
        try {
            return (ObjectNode) JSON.readTree(LAB.resolve("hardware").resolve(name + ".json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path locate() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path lab = dir.resolve("nix/examples/lab");
            if (Files.isDirectory(lab)) {
                return lab;
            }
        }
        throw new IllegalStateException("nix/examples/lab not found");
    }
}
