package com.ultracloud.deployer.gateway.bootstrap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.machine.api.intent.ClusterState;
import com.ultracloud.deployer.machine.api.intent.CurrentIntent;
import com.ultracloud.deployer.machine.api.query.FindCurrentIntent;
import org.axonframework.queryhandling.QueryHandler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Test-only stand-in for the intent read model (built on another branch): answers
 * {@link FindCurrentIntent} with the lab's exported cluster state (nix/examples/lab/expected-cluster-state.json)
 * as generation 1. Deliberately not a {@code @Configuration}: component scanning would add it to every
 * test's application; tests that want it pass it to {@code RunningGateway.startWith}.
 */
public class LabIntent { // no stereotype: only tests that pass it to RunningGateway.startWith get it

    static final ObjectMapper JSON = new ObjectMapper();
    public static final Path LAB = locate();

    @QueryHandler
    public CurrentIntent handle(FindCurrentIntent query) {
        return new CurrentIntent(1, "sha256:lab", Instant.parse("2026-01-01T00:00:00Z"), clusterState());
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
