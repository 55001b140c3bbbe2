package com.ultracloud.deployer.machine.testdata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.machine.api.intent.ClusterState;
import com.ultracloud.deployer.protocol.MachineInventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The 6-machine lab of {@code nix/examples/lab}: its exported cluster state (the golden file the
 * Nix tests keep equal to the evaluation) and the discover request of each machine.
 */
public final class Lab {

    public static final ObjectMapper JSON = new ObjectMapper();
    /** The module's basedir is the working directory of surefire. */
    public static final Path DIR = Path.of("..", "nix", "examples", "lab");
    public static final java.util.List<String> MACHINES =
            java.util.List.of("cp-1", "cp-2", "cp-3", "storage-1", "worker-1", "worker-2");

    private Lab() {
    }

    public static ObjectNode stateJson() {
        return (ObjectNode) read(DIR.resolve("expected-cluster-state.json"));
    }

    public static ClusterState state() {
        return state(stateJson());
    }

    public static ClusterState state(JsonNode json) {
        try {
            return JSON.treeToValue(json, ClusterState.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode hardwareJson(String machine) {
        return (ObjectNode) read(DIR.resolve("hardware").resolve(machine + ".json"));
    }

    public static MachineInventory hardware(String machine) {
        try {
            return JSON.treeToValue(hardwareJson(machine), MachineInventory.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(Path p) {
        try {
            return JSON.readTree(Files.readString(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
