package com.ultracloud.deployer.installer.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.protocol.MachineInventory;

import java.io.IOException;
import java.nio.file.Path;

/** Reads a discover JSON file (what {@code installer facts} prints; the lab's hardware files). */
final class FactsFiles {

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private FactsFiles() {
    }

    static MachineInventory read(Path file) {
        try {
            return JSON.readValue(file.toFile(), MachineInventory.class);
        } catch (IOException e) {
            throw new InstallerException("bad-facts", file + " is not a discover JSON file: "
                    + e.getMessage().lines().findFirst().orElse(""), ExitCodes.USAGE);
        }
    }
}
