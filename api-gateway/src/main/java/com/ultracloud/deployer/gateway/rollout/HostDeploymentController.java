package com.ultracloud.deployer.gateway.rollout;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.ultracloud.deployer.gateway.machine.MachineCommands;
import com.ultracloud.deployer.gateway.machine.RequestContext;
import com.ultracloud.deployer.gateway.problem.FieldError;
import com.ultracloud.deployer.gateway.problem.InvalidRequestException;
import com.ultracloud.deployer.gateway.problem.NotCaughtUpException;
import com.ultracloud.deployer.gateway.problem.NotFoundException;
import com.ultracloud.deployer.gateway.problem.RequestBodies;
import com.ultracloud.deployer.gateway.readpath.MachineSignals;
import com.ultracloud.deployer.gateway.readpath.ReadWaits;
import com.ultracloud.deployer.machine.api.deployment.AbortHostDeployment;
import com.ultracloud.deployer.machine.api.deployment.CreateHostDeployment;
import com.ultracloud.deployer.machine.api.deployment.DeploymentAction;
import com.ultracloud.deployer.machine.api.deployment.DeploymentState;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentSpec;
import com.ultracloud.deployer.machine.api.deployment.PauseHostDeployment;
import com.ultracloud.deployer.machine.api.deployment.ResumeHostDeployment;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;
import com.ultracloud.deployer.projection.rollout.DeploymentView;
import com.ultracloud.deployer.projection.rollout.RolloutView;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Host deployments for operators (DESIGN §8, docs/api.md "Host deployments"): create one from a JSON spec, list
 * and read them from the rollout read model, and pause, resume or abort one. The write side decides every
 * transition; a refusal is a 409 naming the deployment, its state and the states the action is allowed from.
 */
@RestController
@RequestMapping(path = "/api/v1/host-deployments", produces = MediaType.APPLICATION_JSON_VALUE)
class HostDeploymentController {

    static final int MAX_PAGE_SIZE = 200;
    private static final int MAX_REASON = 1000;

    private final MachineCommands commands;
    private final RequestBodies bodies;
    private final DeploymentGenerations generations;
    private final RolloutView view;
    private final EventStore events;
    private final MachineSignals signals;
    private final ReadWaits waits;

    HostDeploymentController(MachineCommands commands, RequestBodies bodies, DeploymentGenerations generations,
                             RolloutView view, EventStore events, MachineSignals signals, ReadWaits waits) {
        this.commands = commands;
        this.bodies = bodies;
        this.generations = generations;
        this.view = view;
        this.events = events;
        this.signals = signals;
        this.waits = waits;
    }

    /** The answer to a create or an action: where the deployment stands after it and the version it produced. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Accepted(String deploymentId, Long generation, DeploymentState state, boolean created, Long version) {
    }

    /**
     * Creates a deployment (PENDING; the rollout saga resolves its machines and starts it). The generation comes
     * from the shared counter ({@link DeploymentGenerations}). 201 for a new deployment; the same id with the same
     * spec again is 200 and changes nothing (its generation stays the first one); the same id with another spec
     * is 409.
     */
    @PostMapping
    ResponseEntity<Accepted> create(@RequestBody(required = false) JsonNode body, HttpServletRequest request) {
        HostDeploymentRequest asked = bodies.read(body, HostDeploymentRequest.class);
        List<FieldError> errors = new ArrayList<>();
        HostDeploymentSpec spec = asked.spec(errors);
        if (asked.id() != null) {
            asked.deploymentId(0, errors); // checked before a generation is drawn for it
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("invalid host deployment: " + errors.size() + " error(s)", errors);
        }
        long generation = generations.next();
        DeploymentId id = asked.deploymentId(generation, errors);
        boolean existed = events.lastSequenceNumberFor(id.toString()).isPresent();
        DeploymentState state = commands.dispatch(new CreateHostDeployment(id, generation, spec), RequestContext.operator(request));
        Long known = !existed ? Long.valueOf(generation) : view.find(id.toString()).map(DeploymentView::generation).orElse(null);
        return ResponseEntity.status(existed ? HttpStatus.OK : HttpStatus.CREATED)
                .location(URI.create("/api/v1/host-deployments/" + id))
                .body(new Accepted(id.toString(), known, state, !existed, version(id)));
    }

    /** Deployments, newest first; {@code state} (repeatable, or comma-separated) filters. */
    @GetMapping
    RolloutView.Page list(@RequestParam(required = false) List<String> state,
                          @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        List<FieldError> errors = new ArrayList<>();
        Set<DeploymentState> states = EnumSet.noneOf(DeploymentState.class);
        for (String s : state == null ? List.<String>of() : state) {
            for (String one : s.split(",")) {
                try {
                    states.add(DeploymentState.valueOf(one.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    errors.add(new FieldError("state", "must be one of " + Arrays.toString(DeploymentState.values())));
                }
            }
        }
        if (page < 0 || (long) page * MAX_PAGE_SIZE > Integer.MAX_VALUE) {
            errors.add(new FieldError("page", "must be 0 or more (and page × size below " + Integer.MAX_VALUE + ")"));
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            errors.add(new FieldError("size", "must be between 1 and " + MAX_PAGE_SIZE));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("invalid query: " + errors.size() + " error(s)", errors);
        }
        return view.list(states, page, size);
    }

    /**
     * One deployment with its machines. {@code minVersion=N} (the version a create or action answered) waits
     * briefly for the rollout view to fold it, like a machine's detail; 503 {@code not-caught-up} if it does not.
     */
    @GetMapping("/{id}")
    DeferredResult<DeploymentView> get(@PathVariable String id, @RequestParam(required = false) String minVersion) {
        DeploymentId deploymentId = parseId(id);
        Long min = ReadWaits.parseMinVersion(minVersion);
        String key = deploymentId.toString();
        if (min == null) {
            DeferredResult<DeploymentView> now = new DeferredResult<>();
            now.setResult(view.find(key).orElseThrow(() -> notFound(key)));
            return now;
        }
        long last = events.lastSequenceNumberFor(key).orElseThrow(() -> notFound(key));
        if (view.find(key).isEmpty() && !isHostDeployment(key)) {
            throw notFound(key); // another aggregate's id (a machine's): the rollout view will never hold it
        }
        if (min > last) {
            throw InvalidRequestException.of("minVersion", "host deployment " + key + " is at version " + last
                    + "; no command has answered " + min);
        }
        return ReadWaits.deferred(signals.await(key, waits.minVersionWait(),
                        () -> view.find(key).filter(v -> v.version() >= min))
                .thenApply(v -> v.orElseThrow(() -> NotCaughtUpException.deployment(key, min,
                        view.find(key).map(DeploymentView::version).orElse(null), waits.retryAfterSeconds()))),
                waits.minVersionWait());
    }

    /** Optional body of pause and abort. */
    record Reason(String reason) {
    }

    /** {@code pause}, {@code resume} or {@code abort}: 202 with the state after it, or the write side's refusal. */
    @PostMapping("/{id}/{action}")
    ResponseEntity<Accepted> act(@PathVariable String id, @PathVariable String action,
                                 @RequestBody(required = false) JsonNode body, HttpServletRequest request) {
        DeploymentAction verb = DeploymentAction.fromApiName(action).orElseThrow(() -> new NotFoundException(
                "unknown action '" + abbreviate(action) + "'; host deployment actions are pause, resume, abort", null));
        DeploymentId deploymentId = parseId(id);
        if (events.lastSequenceNumberFor(deploymentId.toString()).isEmpty()) {
            throw notFound(deploymentId.toString());
        }
        String reason = bodies.read(body, Reason.class).reason();
        if (reason != null && reason.length() > MAX_REASON) {
            throw InvalidRequestException.of("reason", "at most " + MAX_REASON + " characters");
        }
        Object command = switch (verb) {
            case PAUSE -> new PauseHostDeployment(deploymentId, reason);
            case RESUME -> new ResumeHostDeployment(deploymentId);
            case ABORT -> new AbortHostDeployment(deploymentId, reason);
            default -> throw new IllegalStateException("not an operator action: " + verb);
        };
        DeploymentState state = commands.dispatch(command, RequestContext.operator(request));
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(new Accepted(deploymentId.toString(), null, state, false, version(deploymentId)));
    }

    /** Whether the events stored under {@code key} are a host deployment's (ids are unique per aggregate, not across types). */
    private boolean isHostDeployment(String key) {
        try (Stream<? extends DomainEventMessage<?>> first = events.readEvents(key).asStream()) {
            return first.findFirst().map(e -> "HostDeployment".equals(e.getType())).orElse(false);
        }
    }

    /** The deployment's last event's sequence number once the command answered: what {@code minVersion} waits for. */
    private Long version(DeploymentId id) {
        return events.lastSequenceNumberFor(id.toString()).orElse(null);
    }

    private static DeploymentId parseId(String id) {
        try {
            return DeploymentId.of(id);
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.of("id", "a host deployment id is 1-100 of [a-z0-9._-], starting with a letter or digit");
        }
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("no host deployment " + id, null);
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }

}
