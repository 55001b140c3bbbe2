package com.ultracloud.deployer.gateway.enrollment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.gateway.machine.MachineCommands;
import com.ultracloud.deployer.gateway.machine.RequestContext;
import com.ultracloud.deployer.gateway.problem.FieldError;
import com.ultracloud.deployer.gateway.problem.InvalidRequestException;
import com.ultracloud.deployer.gateway.problem.NotFoundException;
import com.ultracloud.deployer.gateway.problem.RequestBodies;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.intent.ClusterState;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import com.ultracloud.deployer.machine.api.intent.CurrentIntent;
import com.ultracloud.deployer.machine.api.intent.ImportClusterIntent;
import com.ultracloud.deployer.machine.api.intent.IntentImportResult;
import com.ultracloud.deployer.machine.api.query.FindCurrentIntent;
import com.ultracloud.deployer.machine.domain.enrollment.Enrolled;
import com.ultracloud.deployer.machine.domain.enrollment.Enrollment;
import com.ultracloud.deployer.machine.domain.intent.IntentDigest;
import com.ultracloud.deployer.machine.domain.intent.IntentValidator;
import com.ultracloud.deployer.projection.inventory.MachineDetail;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code PUT /api/v1/cluster/intent} imports the JSON that {@code nix/lib/cluster-schema.nix}
 * exports; its sha256 is taken over the document's canonical JSON ({@link IntentDigest}), so the
 * same document formatted differently is the same generation. {@code GET} answers the intent in
 * force; {@code POST …/preview} answers what an import would change, without importing.
 */
@RestController
@RequestMapping(path = "/api/v1/cluster/intent", produces = MediaType.APPLICATION_JSON_VALUE)
class IntentController {

    private final ObjectMapper json;
    private final RequestBodies bodies;
    private final MachineCommands commands;
    private final QueryGateway queries;
    private final ClusterIntents intents;
    private final Enrollments enrollments;

    IntentController(ObjectMapper json, RequestBodies bodies, MachineCommands commands, QueryGateway queries,
                     ClusterIntents intents, Enrollments enrollments) {
        this.json = json;
        this.bodies = bodies;
        this.commands = commands;
        this.queries = queries;
        this.intents = intents;
        this.enrollments = enrollments;
    }

    /** The answer to an import. */
    record Imported(long generation, String sha256, boolean changed, Instant importedAt) {
    }

    /** The intent in force. */
    record Current(String clusterId, long generation, String sha256, Instant importedAt, ClusterState document) {
    }

    @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "The JSON that nix/lib/cluster-schema.nix exports (docs/intent.md)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ClusterState.class)))
    @PutMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    Imported put(@RequestBody(required = false) byte[] raw, HttpServletRequest request) {
        ClusterState state = parse(raw);
        List<FieldError> errors = validate(state);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("the cluster intent is invalid: " + errors.size() + " error(s)", errors);
        }
        IntentImportResult r = commands.dispatch(ImportClusterIntent.of(state, IntentDigest.sha256(raw)),
                RequestContext.operator(request));
        return new Imported(r.generation(), r.sha256(), r.changed(), r.importedAt());
    }

    @GetMapping
    Current get() {
        CurrentIntent projected = queries.query(new FindCurrentIntent(),
                ResponseTypes.optionalInstanceOf(CurrentIntent.class)).join().orElse(null);
        Optional<CurrentIntent> stored = intents.current();
        // the read model may lag a just-made import by a moment: the event store is the truth
        CurrentIntent c = stored.filter(s -> projected == null || projected.generation() < s.generation())
                .orElse(projected);
        if (c == null) {
            throw new NotFoundException("no cluster intent has been imported yet (PUT /api/v1/cluster/intent)", null);
        }
        return new Current(c.state().cluster() == null ? null : c.state().cluster().name(), c.generation(), c.sha256(),
                c.importedAt(), c.state());
    }

    /** One side of a preview line: what the machine is (or would be) assigned. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Placement(String matched, String nodeClass, String pool, String hostname) {
        static final Placement NONE = new Placement(null, null, null, null);
    }

    record MachineChange(String machineId, MachineState state, Placement current, Placement wouldBe,
                         List<String> explanation) {
    }

    record Preview(boolean valid, List<FieldError> errors, Long currentGeneration, String sha256, boolean changed,
                   List<MachineChange> machines) {
    }

    @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "The JSON that nix/lib/cluster-schema.nix exports (docs/intent.md)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ClusterState.class)))
    @PostMapping(path = "/preview", consumes = MediaType.APPLICATION_JSON_VALUE)
    Preview preview(@RequestBody(required = false) byte[] raw) {
        ClusterState state = parse(raw);
        String sha = IntentDigest.sha256(raw);
        List<FieldError> errors = validate(state);
        Optional<CurrentIntent> current = intents.current();
        boolean changed = current.map(c -> !c.sha256().equals(sha)).orElse(true);
        Long generation = current.map(CurrentIntent::generation).orElse(null);
        if (!errors.isEmpty()) {
            return new Preview(false, errors, generation, sha, changed, List.of());
        }
        long nextGeneration = generation == null ? 1 : generation + 1;
        List<MachineDetail> machines = new ArrayList<>(enrollments.live());
        // assigned machines hold their hostnames; the waiting ones are placed after them, oldest first
        machines.sort(java.util.Comparator.comparing((MachineDetail m) -> !Enrollments.isAssigned(m)));
        List<Enrolled> now = enrollments.fleet(machines);
        List<Enrolled> simulated = new ArrayList<>(now);
        List<MachineChange> changes = new ArrayList<>();
        for (MachineDetail m : machines) {
            Placement before;
            if (Enrollments.isAssigned(m)) {
                before = new Placement(m.assignment() == null ? null : m.assignment().matchedRule(), m.nodeClass(),
                        m.pool(), m.hostname());
            } else {
                before = current.map(c -> placement(Enrollments.evaluate(c.state(), c.generation(), m, now)))
                        .orElse(Placement.NONE);
            }
            Enrollment after = Enrollments.evaluate(state, nextGeneration, m, simulated);
            Placement wouldBe = placement(after);
            simulated.removeIf(e -> e.machineId().equals(m.machineId()));
            if (wouldBe.hostname() != null) {
                simulated.add(new Enrolled(m.machineId(), wouldBe.hostname(), wouldBe.matched()));
            } else if (Enrollments.isAssigned(m)) {
                simulated.add(new Enrolled(m.machineId(), m.hostname(), before.matched()));
            }
            if (!Objects.equals(before, wouldBe)) {
                changes.add(new MachineChange(m.machineId(), m.state(), before, wouldBe, after.explanation()));
            }
        }
        return new Preview(true, List.of(), generation, sha, changed, changes);
    }

    private static Placement placement(Enrollment e) {
        if (!e.isMatched()) {
            return Placement.NONE;
        }
        return new Placement(e.matched(), e.assignment().nodeClass(), e.assignment().pool(), e.assignment().hostname());
    }

    private ClusterState parse(byte[] raw) {
        if (raw == null || raw.length == 0) {
            throw InvalidRequestException.of("$", "a cluster-state JSON document is required "
                    + "(nix-instantiate --eval --strict --json -A clusterState <cluster>)");
        }
        JsonNode tree;
        try {
            tree = json.readTree(raw);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw InvalidRequestException.of("$", "malformed JSON"
                    + (loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr()));
        } catch (IOException e) {
            throw InvalidRequestException.of("$", "unreadable body");
        }
        if (tree == null || !tree.isObject()) {
            throw InvalidRequestException.of("$", "expected a JSON object (the cluster-state document)");
        }
        return bodies.read(tree, ClusterState.class);
    }

    private static List<FieldError> validate(ClusterState state) {
        return IntentValidator.validate(state).stream().map(e -> new FieldError(e.path(), e.message())).toList();
    }
}
