package com.ultracloud.deployer.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Option;

import java.io.IOException;

/** {@code -o table|json}: an aligned table for people, the API's own JSON for scripts. */
final class Output {

    enum Format { table, wide, json }

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default ${DEFAULT-VALUE}).")
    Format format;

    /** Prints {@code answer} as JSON when that was asked for; true when it did, and the caller prints nothing else. */
    boolean printedJson(JsonNode answer) throws IOException {
        if (format != Format.json) {
            return false;
        }
        Deployer.printJson(answer);
        return true;
    }
}
