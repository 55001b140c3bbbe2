package com.ultracloud.deployer.ctl;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.ultracloud.deployer.machine.api.event.MachineEvent;
import com.ultracloud.deployer.machine.command.MachineReplay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads a machine history (JSON Lines) and replays it through {@link MachineReplay}. */
final class HistoryReplay {

    static final String EVENTS = "com.ultracloud.deployer.machine.api.event.";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** One event of the file and what the replay made of it. */
    record Line(int number, MachineReplay.Step step) {
        boolean refused() {
            return step.rejection() != null;
        }

        String describe() {
            String change = step.before() == step.after() ? String.valueOf(step.after())
                    : (step.before() == null ? "(new)" : step.before().name()) + " -> " + step.after();
            return String.format(Locale.ROOT, "#%-4d %-28s %s", step.sequence(), step.type(), change)
                    + (refused() ? "\n      REFUSED: " + step.rejection() : "");
        }
    }

    static List<Line> of(Path file) throws IOException {
        MachineReplay replay = new MachineReplay();
        List<Line> out = new ArrayList<>();
        int number = 0;
        String aggregate = null;
        for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            if (text.isBlank()) {
                continue;
            }
            JsonNode line = JSON.readTree(text);
            if (!"Machine".equals(line.path("aggregateType").asText("Machine"))) {
                throw new IOException(file + " line " + number + ": a " + line.path("aggregateType").asText()
                        + " event; debug replay folds one machine's history");
            }
            String id = line.path("aggregateId").asText(null);
            if (aggregate != null && id != null && !aggregate.equals(id)) {
                throw new IOException(file + " line " + number + ": machine " + id + ", but the file began with machine "
                        + aggregate + "; replay one machine's history at a time");
            }
            aggregate = aggregate == null ? id : aggregate;
            out.add(new Line(number, replay.apply(line.path("sequence").asLong(number - 1), event(line, file, number))));
        }
        return out;
    }

    private static MachineEvent event(JsonNode line, Path file, int number) throws IOException {
        String type = line.path("type").asText();
        Class<?> cls;
        try {
            cls = Class.forName(EVENTS + type);
        } catch (ClassNotFoundException e) {
            throw new IOException(file + " line " + number + ": no machine event named '" + type + "' in this version");
        }
        Object payload = JSON.treeToValue(line.get("payload"), cls);
        if (!(payload instanceof MachineEvent event)) {
            throw new IOException(file + " line " + number + ": '" + type + "' is not a machine event");
        }
        return event;
    }

    private HistoryReplay() {
    }
}
