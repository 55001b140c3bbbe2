package com.ultracloud.deployer.gateway.machine;

import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.lifecycle.Lifecycle;
import com.ultracloud.deployer.machine.lifecycle.Transition;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Arrays;
import java.util.List;

/**
 * The lifecycle transition table as data ({@code GET /api/v1/lifecycle}): what the console draws and which
 * buttons it offers in each state. The same rows the aggregate decides by, so the two cannot disagree.
 */
@RestController
@RequestMapping(path = "/api/v1/lifecycle", produces = MediaType.APPLICATION_JSON_VALUE)
class LifecycleController {

    /** One row: {@code operatorAction} is the path segment of the action, null when no operator invokes it. */
    record Row(MachineState from, String action, String operatorAction, String when, List<MachineState> to,
               List<String> events, String note) {
    }

    record State(MachineState name, String group) {
    }

    record Table(List<State> states, List<Row> transitions) {
    }

    private static final Table TABLE = new Table(
            Arrays.stream(MachineState.values()).map(s -> new State(s, group(s))).toList(),
            Lifecycle.TABLE.stream().map(LifecycleController::row).toList());

    @GetMapping
    Table lifecycle() {
        return TABLE;
    }

    private static Row row(Transition t) {
        return new Row(t.from(), t.action().wireName(), t.action().apiName().orElse(null), t.when().description(),
                t.to().possibleStates(t.from()).stream().sorted().toList(), t.eventNames(), t.note());
    }

    private static String group(MachineState s) {
        return MachineState.STABLE.contains(s) ? "stable" : MachineState.TRANSIENT.contains(s) ? "transient"
                : MachineState.FAILURE.contains(s) ? "failure" : "other";
    }
}
