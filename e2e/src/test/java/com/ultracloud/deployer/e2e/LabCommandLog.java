package com.ultracloud.deployer.e2e;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The lab's command log ({@code installer lab --commands FILE}, one JSON object per command). */
final class LabCommandLog {

    private LabCommandLog() {
    }

    /** The commands the lab's agent ran on the node with this hostname, in order. */
    static List<List<String>> agentCommands(Path log, String host) throws Exception {
        List<List<String>> out = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            JsonNode r = GatewayProcess.JSON.readTree(line);
            if ("agent".equals(r.path("phase").asText()) && host.equals(r.path("hostname").asText())) {
                List<String> command = new ArrayList<>();
                r.get("command").forEach(a -> command.add(a.asText()));
                out.add(command);
            }
        }
        return out;
    }
}
