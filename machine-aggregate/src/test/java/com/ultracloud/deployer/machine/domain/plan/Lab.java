package com.ultracloud.deployer.machine.domain.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.machine.api.intent.ClusterState;
import com.ultracloud.deployer.protocol.MachineInventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The 6-machine lab of nix/examples/lab: its exported cluster state and the installers' discover requests. */
public final class Lab {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path LAB = locate();

    private Lab() {
    }

    public static ClusterState clusterState() {
        return read(LAB.resolve("expected-cluster-state.json"), ClusterState.class);
    }

    public static MachineInventory hardware(String machine) {
        return read(LAB.resolve("hardware").resolve(machine + ".json"), MachineInventory.class);
    }

    private static <T> T read(Path file, Class<T> type) {
        try {
            return JSON.readValue(file.toFile(), type);
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
        throw new IllegalStateException("nix/examples/lab not found above " + Path.of("").toAbsolutePath());
    }
}
