package com.ultracloud.deployer.e2e;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A machine's history ({@code GET /api/v1/machines/{id}/events}) checked against the transition table as the API serves
 * it ({@code GET /api/v1/lifecycle}), from outside the product: each command's events must be the events of a row
 * allowed from the state the history had reached, and lead to a state that row names. A few guards that only a
 * stale decision (a replica deciding on an old copy of the machine) would break are checked from the events'
 * own fields: the state a mark-failed or rescue says it left, the drained flag, exit-rescue's return state, force.
 */
final class LifecycleReplay {

    record Row(String from, String operatorAction, List<String> to, List<String> events) {
    }

    /** What the replay found: the violations, and the state after each event (index = sequence). */
    record Result(List<String> violations, List<String> stateAfter, int stateChanges) {
    }

    private final List<Row> rows = new ArrayList<>();

    LifecycleReplay(JsonNode table) {
        for (JsonNode t : table.get("transitions")) {
            List<String> to = new ArrayList<>();
            t.get("to").forEach(s -> to.add(s.asText()));
            List<String> events = new ArrayList<>();
            t.get("events").forEach(e -> events.add(e.asText()));
            rows.add(new Row(t.hasNonNull("from") ? t.get("from").asText() : null,
                    t.hasNonNull("operatorAction") ? t.get("operatorAction").asText() : null, to, events));
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("the lifecycle table has no rows: " + table);
        }
    }

    int rows() {
        return rows.size();
    }

    /** The event types the rows of an operator action ({@code POST …/{action}}) record. */
    Set<String> eventsOf(String operatorAction) {
        Set<String> types = new LinkedHashSet<>();
        rows.stream().filter(r -> operatorAction.equals(r.operatorAction())).forEach(r -> types.addAll(r.events()));
        return types;
    }

    Result replay(String machineId, JsonNode history) {
        List<String> violations = new ArrayList<>();
        List<String> stateAfter = new ArrayList<>();
        int n = history.size();
        for (int i = 0; i < n; i++) {
            long sequence = history.get(i).get("sequence").asLong();
            if (sequence != i) {
                violations.add(machineId + ": event " + i + " has sequence " + sequence + " (gap or duplicate)");
            }
        }
        String state = null;
        String returnState = null;
        boolean drained = false;
        int changes = 0;
        int i = 0;
        while (i < n) {
            String from = state;
            int at = i;
            List<Row> matching = rows.stream()
                    .filter(r -> Objects.equals(r.from(), from) && !r.events().isEmpty() && typesAt(history, at, r.events()))
                    .sorted(Comparator.comparingInt((Row r) -> r.events().size()).reversed()).toList();
            JsonNode first = history.get(i);
            String where = machineId + " #" + i + " " + first.get("type").asText() + " from " + from;
            if (matching.isEmpty()) {
                violations.add(where + ": no row of the lifecycle table records it");
                state = stateAfter(first, state);
                stateAfter.add(state);
                i++;
                continue;
            }
            Row row = null;
            for (Row r : matching) {
                if (r.to().contains(endState(history, i, r.events().size(), from))) {
                    row = r;
                    break;
                }
            }
            if (row == null) {
                row = matching.get(0);
                violations.add(where + ": leads to " + endState(history, i, row.events().size(), from)
                        + ", the rows allow " + matching.stream().map(Row::to).toList());
            }
            for (int k = 0; k < row.events().size(); k++) {
                JsonNode e = history.get(i + k);
                String type = e.get("type").asText();
                JsonNode p = e.get("payload");
                String before = state;
                switch (type) {
                    case "MachineMarkedFailed" -> expect(violations, where, "previousState", p.path("previousState").asText(), before);
                    case "RescueRequested" -> {
                        expect(violations, where, "returnState", p.path("returnState").asText(), before);
                        returnState = before;
                    }
                    case "UnexpectedInstallerBoot" -> expect(violations, where, "stateAtBoot", p.path("stateAtBoot").asText(), before);
                    case "RescueExited" -> expect(violations, where, "state (the state before rescue)", p.path("state").asText(), returnState);
                    case "DrainCompleted" -> {
                        if (drained) {
                            violations.add(where + ": DrainCompleted of a machine already drained");
                        }
                    }
                    case "MachineRetired" -> {
                        if ("DRAINING".equals(before) && !drained) {
                            violations.add(where + ": retired while DRAINING but not drained");
                        }
                    }
                    case "ReprovisionRequested" -> {
                        if ("DRAINING".equals(before) && !drained) {
                            violations.add(where + ": reprovisioned while DRAINING but not drained");
                        }
                        if ("ACTIVE".equals(before) && !p.path("forced").asBoolean()) {
                            violations.add(where + ": reprovisioned while ACTIVE without force");
                        }
                    }
                    default -> {
                    }
                }
                switch (type) {
                    case "DrainCompleted" -> drained = true;
                    case "DrainStarted", "DrainCancelled", "ReprovisionRequested", "MachineRetired", "MachineDiscovered" -> drained = false;
                    default -> {
                    }
                }
                state = stateAfter(e, state);
                stateAfter.add(state);
            }
            if (!Objects.equals(from, state)) {
                changes++;
            }
            i += row.events().size();
        }
        return new Result(violations, stateAfter, changes);
    }

    private static void expect(List<String> violations, String where, String field, String recorded, String replayed) {
        if (!Objects.equals(recorded, replayed)) {
            violations.add(where + ": the event's " + field + " is " + recorded + ", the history says " + replayed);
        }
    }

    private static boolean typesAt(JsonNode history, int i, List<String> types) {
        if (i + types.size() > history.size()) {
            return false;
        }
        for (int k = 0; k < types.size(); k++) {
            if (!types.get(k).equals(history.get(i + k).get("type").asText())) {
                return false;
            }
        }
        return true;
    }

    /** The state after events {@code i .. i+count}: the last one that names a state, else unchanged. */
    private static String endState(JsonNode history, int i, int count, String from) {
        String state = from;
        for (int k = 0; k < count; k++) {
            state = stateAfter(history.get(i + k), state);
        }
        return state;
    }

    /** Events that change (or keep) the lifecycle state name it in {@code payload.state}; the others leave it. */
    private static String stateAfter(JsonNode event, String before) {
        JsonNode s = event.path("payload").path("state");
        return s.isTextual() ? s.asText() : before;
    }
}
