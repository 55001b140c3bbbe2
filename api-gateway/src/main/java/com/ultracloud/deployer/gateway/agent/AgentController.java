package com.ultracloud.deployer.gateway.agent;

import com.ultracloud.deployer.gateway.problem.ForbiddenException;
import com.ultracloud.deployer.projection.inventory.MachineDetail;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.ultracloud.deployer.gateway.machine.MachineCommands;
import com.ultracloud.deployer.gateway.machine.MachineHistory;
import com.ultracloud.deployer.gateway.machine.RequestContext;
import com.ultracloud.deployer.gateway.problem.FieldError;
import com.ultracloud.deployer.gateway.problem.InvalidRequestException;
import com.ultracloud.deployer.gateway.problem.RequestBodies;
import com.ultracloud.deployer.gateway.readpath.MachineSignals;
import com.ultracloud.deployer.gateway.readpath.ReadWaits;
import com.ultracloud.deployer.gateway.readpath.WaitParameter;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.command.AcknowledgeDirective;
import com.ultracloud.deployer.machine.api.command.FailDirective;
import com.ultracloud.deployer.machine.api.command.ReportActivation;
import com.ultracloud.deployer.machine.api.rollout.ActivationResult;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;
import com.ultracloud.deployer.protocol.agent.ActivationReport;
import com.ultracloud.deployer.protocol.agent.DesiredSystem;
import com.ultracloud.deployer.protocol.agent.DirectiveReport;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The agent API (DESIGN §8, docs/api.md "Agent API"), for the installed node's nix-agent, always about the machine
 * of the presented node certificate ({@link AgentIdentity}): who it is, the system it should run (a long-poll fed
 * by the machine's events, which carries a rescue or reprovision directive while one is open), its activation reports
 * and its directive reports. No request names a machine: a node can neither read nor report for another one.
 */
@RestController
@RequestMapping(path = "/api/v1/agent", produces = MediaType.APPLICATION_JSON_VALUE)
class AgentController {

    static final int MAX_RUNNING_SYSTEM = 512;
    static final int MAX_MESSAGE = 4096;
    static final int MAX_STEP = 64;

    private final MachineSignals signals;
    private final AgentTargets targets;
    private final MachineCommands commands;
    private final RequestBodies bodies;
    private final MachineHistory history;
    private final Duration maxWait;

    AgentController(MachineSignals signals, AgentTargets targets, MachineCommands commands, RequestBodies bodies,
                    MachineHistory history, @Value("${deployer.agent.max-wait:60s}") Duration maxWait) {
        this.history = history;
        this.signals = signals;
        this.targets = targets;
        this.commands = commands;
        this.bodies = bodies;
        this.maxWait = maxWait;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Identity(String machineId, String hostname, String serial, String state) {
    }

    /** The machine of the presented node certificate, as the deployer knows it now. */
    @GetMapping("/identity")
    Identity identity(@RequestAttribute(AgentIdentity.ATTRIBUTE) AgentIdentity agent) {
        MachineDetail machine = history.current(agent.machineId())
                .orElseThrow(() -> new ForbiddenException("certificate serial " + agent.serial() + " names no known machine"));
        return new Identity(agent.machineId().toString(), machine.hostname(), agent.serial(), machine.state().name());
    }

    /**
     * The node's desired system: 200 with a strong {@code ETag} ({@code "<deploymentId>:<generation>"}), 204 while
     * nothing is desired, 304 when {@code If-None-Match} names the current one. An INSTALLED machine without a
     * desired system is answered its first-boot target ({@link AgentTargets}). With {@code wait} (capped at
     * {@code deployer.agent.max-wait}) an answer that would be 304 or 204 is held until the machine's events change
     * it (a new desired system; or, with {@code If-None-Match}, none any more), without holding a thread.
     */
    @GetMapping("/desired-system")
    DeferredResult<ResponseEntity<DesiredSystem>> desiredSystem(
            @RequestAttribute(AgentIdentity.ATTRIBUTE) AgentIdentity agent,
            @RequestParam(required = false) String wait,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
            HttpServletRequest request) {
        Duration max = WaitParameter.parse(wait, maxWait);
        String seen = ifNoneMatch == null || ifNoneMatch.isBlank() ? null : ifNoneMatch.strip();
        String deployer = ServletUriComponentsBuilder.fromContextPath(request).replacePath(null).replaceQuery(null)
                .toUriString();
        return ReadWaits.deferred(signals.await(agent.machineId().toString(), max, () -> {
                    Optional<AgentTargets.Desired> now = targets.now(agent, deployer);
                    return changed(now, seen) ? Optional.of(answer(now)) : Optional.empty();
                })
                .thenApply(changed -> changed.orElseGet(() -> {
                    Optional<AgentTargets.Desired> now = targets.now(agent, deployer);
                    return now.isPresent() && !changed(now, seen)
                            ? ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(now.get().etag()).build()
                            : answer(now);
                })), max);
    }

    /**
     * Whether the desired system differs from what the agent has ({@code seen}, its If-None-Match). A read model
     * behind the agent (it learnt a newer generation from another replica) is not a change: the older answer
     * would send it back in time, so it waits for this replica to catch up.
     */
    private static boolean changed(Optional<AgentTargets.Desired> now, String seen) {
        if (seen == null) {
            return now.isPresent();
        }
        if (now.isEmpty()) {
            return true; // nothing is desired any more (e.g. the first boot is confirmed): say so at once
        }
        if ("*".equals(seen) || seen.equals(now.get().etag())) {
            return false;
        }
        if (now.get().directive()) {
            return true; // a directive comes before any generation
        }
        long seenGeneration = generationOf(seen);
        return seenGeneration < 0 || seenGeneration <= now.get().generation();
    }

    private static long generationOf(String etag) {
        int colon = etag.lastIndexOf(':');
        if (!etag.endsWith("\"") || colon < 0) {
            return -1;
        }
        try {
            return Long.parseLong(etag.substring(colon + 1, etag.length() - 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static ResponseEntity<DesiredSystem> answer(Optional<AgentTargets.Desired> desired) {
        return desired.map(d -> ResponseEntity.ok().eTag(d.etag()).body(d.body()))
                .orElseGet(() -> ResponseEntity.noContent().build());
    }

    /** What was recorded for an activation report. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Recorded(String machineId, String deploymentId, long generation, String result, String runningSystem,
                    MachineState state, Long version) {
    }

    /** A wire report as sent, read leniently so that every wrong field can be named. */
    record ReportBody(String deploymentId, String result, String runningSystem, Long generation, String message,
                      String step) {
    }

    /**
     * The agent's activation report ({@code ActivationReport}) for the certificate's machine →
     * {@code ReportActivation}. 202 with what was recorded; the first {@code healthy} of an INSTALLED machine
     * activates it (the aggregate decides). {@code step} is kept in front of the message ({@code "health-check: …"}).
     */
    @PostMapping("/activation")
    ResponseEntity<Recorded> activation(@RequestAttribute(AgentIdentity.ATTRIBUTE) AgentIdentity agent,
                                        @RequestBody(required = false) JsonNode body, HttpServletRequest request) {
        ActivationReport report = validate(bodies.read(body, ReportBody.class));
        // a report about the first-boot target is about the installed system: no deployment on the write side
        boolean firstBoot = DesiredSystems.FIRST_BOOT.equals(report.deploymentId());
        ReportActivation command = new ReportActivation(agent.machineId(),
                firstBoot ? null : DeploymentId.of(report.deploymentId()), ActivationResult.fromWire(report.result()),
                report.runningSystem(), firstBoot || report.generation() == null ? 0 : report.generation(),
                report.step() == null ? report.message()
                        : report.step() + ": " + (report.message() == null ? report.result() : report.message()));
        RequestContext context = new RequestContext(agent.principal(), RequestContext.operator(request).correlationId());
        MachineCommands.Sent<MachineState> sent = commands.sendForVersion(command, context);
        // the report always appends an event: its version is the machine's last one now (as discover reads it)
        Long version = sent.version() != null ? sent.version() : history.lastVersion(agent.machineId()).orElse(null);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Recorded(agent.machineId().toString(),
                report.deploymentId(), command.generation(), report.result(), report.runningSystem(), sent.result(),
                version));
    }

    /** What was recorded for a directive report. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DirectiveRecorded(String machineId, String directiveId, String result, MachineState state, Long version) {
    }

    /** A wire directive report as sent, read leniently so that every wrong field can be named. */
    record DirectiveBody(String id, String result, String message) {
    }

    /**
     * The agent's word on its directive ({@code DirectiveReport}): {@code acknowledged} → {@code AcknowledgeDirective}
     * (the installer is loaded; for a reprovision, the certificate is revoked with it: the agent's last call),
     * {@code failed} → {@code FailDirective} with its message (the operator boots the installer image). 202 with what
     * was recorded; 409 for a directive that is not the machine's open one.
     */
    @PostMapping("/directive")
    ResponseEntity<DirectiveRecorded> directive(@RequestAttribute(AgentIdentity.ATTRIBUTE) AgentIdentity agent,
                                                @RequestBody(required = false) JsonNode body, HttpServletRequest request) {
        DirectiveBody r = bodies.read(body, DirectiveBody.class);
        List<FieldError> errors = new ArrayList<>();
        if (r.id() == null || r.id().isBlank()) {
            errors.add(new FieldError("id", "is required: the directive's id"));
        }
        bounded(errors, "id", r.id(), MAX_STEP);
        if (!DirectiveReport.ACKNOWLEDGED.equals(r.result()) && !DirectiveReport.FAILED.equals(r.result())) {
            errors.add(new FieldError("result", "must be one of acknowledged, failed"));
        }
        bounded(errors, "message", r.message(), MAX_MESSAGE);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("invalid directive report: " + errors.size() + " error(s)", errors);
        }
        Object command = DirectiveReport.ACKNOWLEDGED.equals(r.result())
                ? new AcknowledgeDirective(agent.machineId(), r.id())
                : new FailDirective(agent.machineId(), r.id(), FailDirective.AGENT, "the nix-agent cannot carry it out: "
                + (r.message() == null || r.message().isBlank() ? "it gave no reason" : r.message()));
        RequestContext context = new RequestContext(agent.principal(), RequestContext.operator(request).correlationId());
        MachineCommands.Sent<MachineState> sent = commands.sendForVersion(command, context);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new DirectiveRecorded(agent.machineId().toString(), r.id(),
                r.result(), sent.result(), sent.version()));
    }

    private static ActivationReport validate(ReportBody r) {
        List<FieldError> errors = new ArrayList<>();
        if (r.deploymentId() == null || r.deploymentId().isBlank()) {
            errors.add(new FieldError("deploymentId", "is required"));
        } else {
            try {
                DeploymentId.of(r.deploymentId());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("deploymentId", "1-100 of [a-z0-9._-], starting with a letter or digit"));
            }
        }
        if (r.result() == null || !List.of(ActivationReport.STARTED, ActivationReport.HEALTHY, ActivationReport.FAILED,
                ActivationReport.ROLLED_BACK).contains(r.result())) {
            errors.add(new FieldError("result", "must be one of started, healthy, failed, rolled-back"));
        }
        if (r.generation() != null && r.generation() < 0) {
            errors.add(new FieldError("generation", "must be 0 or more"));
        }
        bounded(errors, "runningSystem", r.runningSystem(), MAX_RUNNING_SYSTEM);
        bounded(errors, "message", r.message(), MAX_MESSAGE);
        bounded(errors, "step", r.step(), MAX_STEP);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("invalid activation report: " + errors.size() + " error(s)", errors);
        }
        return new ActivationReport(r.deploymentId(), r.result(), r.runningSystem(), r.generation(), r.message(), r.step());
    }

    private static void bounded(List<FieldError> errors, String field, String value, int max) {
        if (value != null && value.length() > max) {
            errors.add(new FieldError(field, "at most " + max + " characters (got " + value.length() + ")"));
        }
    }
}
