package com.ultracloud.deployer.gateway.machine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.gateway.enrollment.EnrollmentView;
import com.ultracloud.deployer.gateway.enrollment.Enrollments;
import com.ultracloud.deployer.machine.domain.enrollment.Enrollment;
import com.ultracloud.deployer.machine.api.HardwareRequirements;
import com.ultracloud.deployer.gateway.config.DeployerProperties;
import com.ultracloud.deployer.gateway.problem.FieldError;
import com.ultracloud.deployer.gateway.problem.InvalidRequestException;
import com.ultracloud.deployer.gateway.problem.NotCaughtUpException;
import com.ultracloud.deployer.gateway.problem.NotFoundException;
import com.ultracloud.deployer.gateway.readpath.MachineSignals;
import com.ultracloud.deployer.gateway.readpath.ReadWaits;
import com.ultracloud.deployer.gateway.problem.RequestBodies;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.query.FindMachine;
import com.ultracloud.deployer.machine.api.query.ListMachines;
import com.ultracloud.deployer.projection.inventory.MachineDetail;
import com.ultracloud.deployer.projection.inventory.MachinePage;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.MediaType;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import com.ultracloud.deployer.gateway.audit.ExportedEvent;
import com.ultracloud.deployer.gateway.audit.InventoryAsOf;
import com.ultracloud.deployer.gateway.audit.JsonLines;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** The operator's machine API (DESIGN §8): inventory, detail, actions, history, state as of. */
@RestController
@RequestMapping(path = "/api/v1/machines", produces = MediaType.APPLICATION_JSON_VALUE)
class MachineController {

    private final QueryGateway queries;
    private final MachineCommands commands;
    private final MachineHistory history;
    private final RequestBodies bodies;
    private final DeployerProperties properties;
    private final Enrollments enrollments;
    private final ObjectMapper json;
    private final MachineSignals signals;
    private final ReadWaits waits;

    private final InventoryAsOf asOf;

    MachineController(QueryGateway queries, MachineCommands commands, MachineHistory history, RequestBodies bodies,
                      DeployerProperties properties, Enrollments enrollments, ObjectMapper json,
                      MachineSignals signals, ReadWaits waits, InventoryAsOf asOf) {
        this.asOf = asOf;
        this.signals = signals;
        this.waits = waits;
        this.queries = queries;
        this.commands = commands;
        this.history = history;
        this.bodies = bodies;
        this.properties = properties;
        this.enrollments = enrollments;
        this.json = json;
    }

    /**
     * The inventory. {@code minVersion} with {@code machineId}: answer once the inventory has folded that
     * machine's version (the version a command on it answered), so the page reflects that command; either
     * alone is a 400. The page is not filtered by {@code machineId}.
     */
    @GetMapping
    DeferredResult<MachinePage> list(@RequestParam(required = false) List<String> state,
                     @RequestParam(required = false) String nodeClass,
                     @RequestParam(required = false) String pool,
                     @RequestParam(required = false) String label,
                     @RequestParam(name = "q", required = false) String text,
                     @RequestParam(defaultValue = "0") int page,
                     @RequestParam(defaultValue = "50") int size,
                     @RequestParam(required = false) String sort,
                     @RequestParam(required = false) String after,
                     @RequestParam(required = false) String minVersion,
                     @RequestParam(required = false) String machineId,
                     @RequestParam(required = false) String at) {
        List<FieldError> errors = new ArrayList<>();
        Set<MachineState> states = EnumSet.noneOf(MachineState.class);
        for (String s : state == null ? List.<String>of() : state) {
            for (String one : s.split(",")) {
                try {
                    states.add(MachineState.valueOf(one.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldError("state", "unknown state '" + one + "'; one of " + List.of(MachineState.values())));
                }
            }
        }
        Paging paging = Paging.of(page, size, sort, after, errors);
        Long min = ReadWaits.parseMinVersion(minVersion);
        if ((min == null) != (machineId == null)) {
            errors.add(new FieldError(min == null ? "machineId" : "minVersion", "minVersion and machineId go together: "
                    + "the inventory is read once it has folded that machine's version"));
        }
        InventoryAsOf.At past = at == null ? null : asOf(at, errors);
        if (past != null) {
            for (String[] p : new String[][] {{"q", text}, {"sort", sort}, {"after", after}, {"minVersion", minVersion}}) {
                if (p[1] != null) {
                    errors.add(new FieldError(p[0], "not with at: the past inventory is paged by page and size, in hostname order"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("invalid query parameters", errors);
        }
        if (past != null) {
            return done(asOf.page(past, new InventoryAsOf.Filter(states, nodeClass, pool, label), paging.page(), paging.size()));
        }
        Supplier<MachinePage> listing = () -> queries.query(new ListMachines(states, nodeClass, pool, label, text,
                paging.page(), paging.size(), paging.sort(), paging.after()), MachinePage.class).join();
        if (min == null) {
            return done(listing.get());
        }
        MachineId anchor = parseId(machineId);
        requireVersion(history, anchor, min);
        return inventoryAt(anchor, min).thenApply(d -> listing.get());
    }

    /** {@code at}: a store position (digits) or an ISO-8601 instant. */
    private static InventoryAsOf.At asOf(String at, List<FieldError> errors) {
        try {
            if (at.chars().allMatch(Character::isDigit) && !at.isEmpty()) {
                return new InventoryAsOf.At(Long.parseLong(at), null);
            }
            return new InventoryAsOf.At(null, Instant.parse(at));
        } catch (NumberFormatException | DateTimeParseException e) {
            errors.add(new FieldError("at", "must be a position in the event store (0 or more) or an ISO-8601 instant, "
                    + "e.g. 2026-12-01T10:00:00Z"));
            return null;
        }
    }

    /**
     * The inventory's view of one machine. The projection may lag a just-accepted command by a few
     * milliseconds: {@code minVersion=N} (the version a command answered) waits briefly until it has folded
     * version N, else 503 with Retry-After; {@code consistent=true} answers from the event store instead
     * (with {@code minVersion}, from the event store once it holds version N, which it does as soon as the
     * command that produced N has answered).
     */
    @GetMapping("/{id}")
    DeferredResult<ResponseEntity<JsonNode>> detail(@PathVariable String id,
                                                    @RequestParam(defaultValue = "false") boolean consistent,
                                                    @RequestParam(required = false) String minVersion) {
        MachineId machineId = parseId(id);
        Long min = ReadWaits.parseMinVersion(minVersion);
        if (min == null) {
            MachineDetail detail = consistent ? null : find(machineId).orElse(null);
            if (detail == null) {
                detail = history.current(machineId).orElseThrow(() -> NotFoundException.machine(id));
            }
            return done(withEnrollment(ResponseEntity.ok(), detail));
        }
        requireVersion(history, machineId, min);
        if (consistent) {
            return atVersion(machineId, min, "the event store", () -> history.current(machineId))
                    .thenApply(d -> withEnrollment(ResponseEntity.ok(), d));
        }
        return inventoryAt(machineId, min).thenApply(d -> withEnrollment(ResponseEntity.ok(), d));
    }

    private Optional<MachineDetail> find(MachineId machineId) {
        return queries.query(new FindMachine(machineId), ResponseTypes.optionalInstanceOf(MachineDetail.class)).join();
    }

    /** The inventory's row of the machine once it has folded version {@code min}. */
    private Waiting<MachineDetail> inventoryAt(MachineId machineId, long min) {
        return atVersion(machineId, min, "the inventory", () -> find(machineId));
    }

    /** {@code read} once it answers version {@code min} or later, waited for as long as minVersion allows. */
    private Waiting<MachineDetail> atVersion(MachineId machineId, long min, String what,
                                             Supplier<Optional<MachineDetail>> read) {
        String id = machineId.toString();
        CompletableFuture<MachineDetail> f = signals.await(id, waits.minVersionWait(),
                        () -> read.get().filter(d -> d.version() >= min))
                .thenApply(d -> d.orElseThrow(() -> new NotCaughtUpException(what, id, min,
                        read.get().map(MachineDetail::version).orElse(null), waits.retryAfterSeconds())));
        return new Waiting<>(f, waits.minVersionWait());
    }

    /** A read that may still wait: mapped, then handed to Servlet async. */
    record Waiting<T>(CompletableFuture<T> future, java.time.Duration maxWait) {
        <R> DeferredResult<R> thenApply(java.util.function.Function<T, R> then) {
            return ReadWaits.deferred(future.thenApply(then), maxWait);
        }
    }

    private static <T> DeferredResult<T> done(T value) {
        DeferredResult<T> result = new DeferredResult<>();
        result.setResult(value);
        return result;
    }

    @PostMapping("/{id}/{action}")
    ResponseEntity<JsonNode> act(@PathVariable String id, @PathVariable String action,
                                      @RequestBody(required = false) JsonNode body,
                                      @RequestHeader(name = "If-Match", required = false) String ifMatch,
                                      HttpServletRequest request) {
        MachineActions.Binding<?> binding = MachineActions.byName(action).orElseThrow(() -> new NotFoundException(
                "unknown action '" + action + "'; actions are " + MachineActions.names(), id));
        MachineId machineId = parseId(id);
        if (!history.exists(machineId)) {
            throw NotFoundException.machine(id);
        }
        Object parsed = bodies.read(body, binding.bodyType());
        Long expectedVersion = parseVersion(ifMatch);
        RequestContext context = RequestContext.operator(request);
        if (parsed instanceof ActionRequests.Commission c) {
            enrollments.commission(machineId, new Enrollments.Requested(c.nodeClass(), c.pool(), c.hostname(),
                    c.nodeId(), c.labels()), expectedVersion, context);
        } else {
            commands.send(binding.command(machineId, parsed, expectedVersion, actionContext()), context);
        }
        MachineDetail now = history.current(machineId).orElseThrow(() -> NotFoundException.machine(id));
        return withEnrollment(ResponseEntity.status(HttpStatus.ACCEPTED), now);
    }

    private MachineActions.Context actionContext() {
        return new MachineActions.Context() {
            @Override
            public int defaultAttemptLimit() {
                return properties.install().attemptLimit();
            }

            @Override
            public HardwareRequirements inspectionRequirements(MachineId machineId, String nodeClass) {
                return enrollments.inspectionRequirements(machineId, nodeClass);
            }
        };
    }

    /** The detail with its {@code enrollment} section: what the intent in force makes of the machine, and why. */
    private ResponseEntity<JsonNode> withEnrollment(ResponseEntity.BodyBuilder builder, MachineDetail d) {
        ObjectNode body = json.valueToTree(d);
        Enrollment e = enrollments.evaluate(d);
        body.set("enrollment", json.valueToTree(EnrollmentView.of(e, enrollments.operatorWait(d, e))));
        return builder.eTag("\"" + d.version() + "\"").body(body);
    }

    /**
     * The machine's history: JSON, or with {@code format=jsonl} one event per line with its aggregate, sequence,
     * type, payload type, time, payload and metadata (what {@code deployer-ctl debug replay} reads; docs/debugging.md).
     */
    @GetMapping(path = "/{id}/events", produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_NDJSON_VALUE})
    ResponseEntity<?> events(@PathVariable String id, @RequestParam(required = false) String format) {
        Boolean lines = JsonLines.wanted(format);
        if (lines == null) {
            throw new InvalidRequestException("invalid history request", List.of(new FieldError("format", "must be json or jsonl")));
        }
        MachineId machineId = parseId(id);
        if (lines) {
            List<ExportedEvent> events = history.exported(machineId);
            if (events.isEmpty()) {
                throw NotFoundException.machine(id);
            }
            return JsonLines.ok().body(JsonLines.of(events, json));
        }
        List<MachineHistory.HistoryEntry> entries = history.history(machineId);
        if (entries.isEmpty()) {
            throw NotFoundException.machine(id);
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(entries);
    }

    /** {@code at} is an event sequence number (0 = the first event) or an ISO-8601 instant. */
    @GetMapping("/{id}/state")
    ResponseEntity<MachineDetail> stateAt(@PathVariable String id, @RequestParam String at,
                                          @RequestParam(required = false) String minVersion) {
        MachineId machineId = parseId(id);
        Long min = ReadWaits.parseMinVersion(minVersion);
        if (!history.exists(machineId)) {
            throw NotFoundException.machine(id);
        }
        if (min != null) {
            // replayed from the event store, which holds a version as soon as the command that produced it answered
            requireVersion(history, machineId, min);
        }
        MachineDetail detail;
        if (at.chars().allMatch(Character::isDigit) && !at.isEmpty() && at.length() < 19) {
            detail = history.asOfSequence(machineId, Long.parseLong(at)).orElseThrow();
        } else {
            Instant instant;
            try {
                instant = Instant.parse(at);
            } catch (DateTimeParseException e) {
                throw InvalidRequestException.of("at", "must be an event sequence number (0, 1, ...) or an ISO-8601 instant such as 2026-01-31T12:00:00Z");
            }
            detail = history.asOfInstant(machineId, instant).orElseThrow(() -> new NotFoundException(
                    "machine " + id + " had no events at or before " + instant, id));
        }
        return withVersion(ResponseEntity.ok(), detail);
    }

    /**
     * A {@code minVersion} read needs the machine (else 404) and a version it has reached in the event store,
     * which holds every version a command has answered: one beyond it was never answered to anyone (400).
     */
    static void requireVersion(MachineHistory history, MachineId machineId, long min) {
        long last = history.lastVersion(machineId).orElseThrow(() -> NotFoundException.machine(machineId.toString()));
        if (min > last) {
            throw InvalidRequestException.of("minVersion", "machine " + machineId + " is at version " + last
                    + "; no command has answered version " + min);
        }
    }

    static MachineId parseId(String id) {
        try {
            return new MachineId(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.of("id", "not a machine id (a UUID): '" + abbreviate(id) + "'");
        }
    }

    private static Long parseVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return null;
        }
        String v = ifMatch.trim().replaceFirst("^W/", "").replace("\"", "");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw InvalidRequestException.of("If-Match", "must be a machine version as returned in ETag, e.g. \"4\"");
        }
    }

    private static ResponseEntity<MachineDetail> withVersion(ResponseEntity.BodyBuilder builder, MachineDetail d) {
        return builder.eTag("\"" + d.version() + "\"").body(d);
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
