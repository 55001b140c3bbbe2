package com.ultracloud.deployer.bench.support;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.installer.lab.LabMachine;
import com.ultracloud.deployer.protocol.MachineInventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Discover bodies for many distinct machines: the installer lab's clones ({@link LabMachine#clone}) of the
 * six lab hardware fixtures ({@code nix/examples/lab/hardware/*.json}), round-robin, each with a fresh
 * identity (SMBIOS UUID, serials, MACs) drawn from a seeded random, so runs are repeatable.
 */
public final class LabFacts {

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private LabFacts() {
    }

    /** {@code count} JSON discover bodies; different seeds give disjoint identities (with overwhelming odds). */
    public static List<byte[]> bodies(int count, long seed) throws IOException {
        List<Path> files;
        Path hardware = Path.of(System.getProperty("bench.hardware", "nix/examples/lab/hardware"));
        try (Stream<Path> s = Files.list(hardware)) {
            files = s.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        List<MachineInventory> fixtures = new ArrayList<>();
        for (Path f : files) {
            fixtures.add(JSON.readValue(f.toFile(), MachineInventory.class));
        }
        Random random = new Random(seed);
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String fixture = files.get(i % files.size()).getFileName().toString().replace(".json", "");
            LabMachine m = LabMachine.clone("bench-" + seed + "-" + i, fixture, fixtures.get(i % fixtures.size()), random);
            out.add(JSON.writeValueAsBytes(m.facts()));
        }
        return out;
    }
}
