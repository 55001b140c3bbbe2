package com.ultracloud.deployer.gateway.machine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.gateway.config.DeployerProperties;
import com.ultracloud.deployer.gateway.credentials.InstallTokenGuard;
import com.ultracloud.deployer.gateway.enrollment.EnrollmentReconciler;
import com.ultracloud.deployer.gateway.credentials.SealedSecret;
import com.ultracloud.deployer.gateway.enrollment.ClusterIntents;
import com.ultracloud.deployer.gateway.problem.FieldError;
import com.ultracloud.deployer.gateway.problem.ForbiddenException;
import com.ultracloud.deployer.gateway.problem.InvalidRequestException;
import com.ultracloud.deployer.gateway.problem.NotFoundException;
import com.ultracloud.deployer.gateway.problem.RequestBodies;
import com.ultracloud.deployer.gateway.readpath.MachineSignals;
import com.ultracloud.deployer.gateway.readpath.ReadWaits;
import com.ultracloud.deployer.gateway.readpath.WaitParameter;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.command.CompleteInstall;
import com.ultracloud.deployer.machine.api.command.DiscoverMachine;
import com.ultracloud.deployer.machine.api.command.FailInstall;
import com.ultracloud.deployer.machine.api.command.ReportInstallProgress;
import com.ultracloud.deployer.machine.api.command.StartInstall;
import com.ultracloud.deployer.machine.domain.MachineFingerprint;
import com.ultracloud.deployer.machine.domain.credentials.KeySealer;
import com.ultracloud.deployer.projection.inventory.MachineDetail;
import com.ultracloud.deployer.protocol.BootstrapPlan;
import com.ultracloud.deployer.protocol.DiscoverResponse;
import com.ultracloud.deployer.protocol.InstallProgress;
import com.ultracloud.deployer.protocol.InstallProgressAck;
import com.ultracloud.deployer.protocol.InventoryDigest;
import com.ultracloud.deployer.protocol.MachineInventory;
import com.ultracloud.deployer.protocol.seal.InstallerKey;
import com.ultracloud.deployer.protocol.seal.PlanSecretsSeal;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The installer-facing bootstrap API (DESIGN §8, §8.1, §10): discover (join secret; the install token while
 * install-pending, to the installer key the install is bound to), the plan long-poll (secrets sealed to that
 * key) and progress reports, both authorised by the install token.
 */
@RestController
@RequestMapping(path = "/api/v1/bootstrap", produces = MediaType.APPLICATION_JSON_VALUE)
class BootstrapController {

    private static final String WAIT_INSTRUCTION = "wait";
    private static final String RESCUE_INSTRUCTION = "rescue";
    private static final Set<String> RESULTS = Set.of(InstallProgress.STARTED, InstallProgress.RUNNING,
            InstallProgress.SUCCEEDED, InstallProgress.FAILED);
    static final int MAX_LOG_TAIL = 65_536;

    private final MachineCommands commands;
    private final MachineHistory history;
    private final InstallTokenGuard tokens;
    private final KeySealer sealer;
    private final RequestBodies bodies;
    private final ObjectMapper json;
    private final DeployerProperties properties;
    private final EnrollmentReconciler enrollment;
    private final InstallTokenHandout handout;
    private final MachineSignals signals;
    private final ClusterIntents intents;

    BootstrapController(MachineCommands commands, MachineHistory history, InstallTokenGuard tokens, KeySealer sealer,
                        RequestBodies bodies, ObjectMapper json, DeployerProperties properties,
                        EnrollmentReconciler enrollment, InstallTokenHandout handout, MachineSignals signals,
                        ClusterIntents intents) {
        this.signals = signals;
        this.intents = intents;
        this.commands = commands;
        this.history = history;
        this.tokens = tokens;
        this.sealer = sealer;
        this.bodies = bodies;
        this.json = json;
        this.properties = properties;
        this.enrollment = enrollment;
        this.handout = handout;
    }

    /**
     * Identity and facts in; the machine's id and what to do next out. Idempotent for unchanged facts.
     * While the machine is install-pending and its plan's secrets exist, every discover with the installer key
     * the install is bound to answers a fresh install token (the previous one stops working): only its hash is
     * stored, so it cannot be answered twice. Another key rebinds, or waits for an operator (the aggregate decides).
     */
    @PostMapping("/discover")
    DeferredResult<DiscoverResponse> discover(@RequestBody MachineInventory announced,
                                              @RequestParam(required = false) String wait,
                                              @RequestParam(required = false) String rescue,
                                              HttpServletRequest request) {
        boolean rescueReady = parseRescue(rescue);
        // the join secret was checked before the body was read (JoinSecretInterceptor); the key belongs to
        // this boot of the installer, not to the machine, so it is not part of the recorded facts
        MachineInventory facts = announced == null ? null : announced.withoutInstallerKey();
        MachineFingerprint fingerprint = DiscoverValidator.validate(facts);
        Duration maxWait = parseWait(wait);
        byte[] installerKey = installerKey(announced);
        String keyFingerprint = installerKey == null ? null : InstallerKey.fingerprintOf(installerKey);
        MachineId id = fingerprint.machineId();
        DiscoverMachine discover = new DiscoverMachine(id, fingerprint.value(), facts, InventoryDigest.of(facts),
                keyFingerprint, properties.bootstrap().rebind() == DeployerProperties.Rebind.OPERATOR, rescueReady);
        RequestContext caller = RequestContext.installer(request);
        MachineCommands.Sent<MachineState> sent = commands.sendIdempotent(discover, caller);
        MachineState state = sent.result();
        enrollment.observed(id, state); // level-triggered enrollment: see EnrollmentReconciler
        Long version = sent.version() != null ? sent.version() : history.lastVersion(id).orElse(null);
        DiscoverResponse now = answer(id, state, version, installerKey, keyFingerprint);
        // a ready rescue installer's heartbeat is held like a waiting installer's: until exit-rescue changes it
        Predicate<DiscoverResponse> unchanged = r -> WAIT_INSTRUCTION.equals(r.instruction())
                || rescueReady && RESCUE_INSTRUCTION.equals(r.instruction());
        if (!unchanged.test(now) || maxWait.isZero()) {
            return done(now);
        }
        // long-poll: held (no thread) until the machine's events change the instruction, or the wait is over
        AtomicLong seen = new AtomicLong(version == null ? -1 : version);
        return ReadWaits.deferred(signals.await(id.toString(), maxWait, () -> {
            MachineDetail m = history.current(id).orElseThrow(() -> NotFoundException.machine(id));
            if (m.version() <= seen.get()) {
                return Optional.empty(); // nothing new since the last look
            }
            seen.set(m.version());
            DiscoverResponse changed;
            if (m.state() == MachineState.INSTALL_PENDING) {
                // the install was requested while this installer waited: the discover it made binds the pending
                // install to its key (the aggregate decides, as for a new discover), then its token is due
                MachineCommands.Sent<MachineState> again = commands.sendIdempotent(discover, caller);
                changed = answer(id, again.result(), again.version() != null ? again.version() : m.version(),
                        installerKey, keyFingerprint);
            } else {
                changed = answer(id, m.state(), m.version(), installerKey, keyFingerprint);
            }
            return unchanged.test(changed) ? Optional.empty() : Optional.of(changed);
        }).thenApply(changed -> changed.orElseGet(() -> {
            MachineDetail m = history.current(id).orElseThrow(() -> NotFoundException.machine(id));
            return answer(id, m.state(), m.version(), installerKey, keyFingerprint);
        })), maxWait);
    }

    /** What discover answers for the machine in {@code state}: a fresh install token when one is due. */
    private DiscoverResponse answer(MachineId id, MachineState state, Long version, byte[] installerKey,
                                    String keyFingerprint) {
        InstallTokenHandout.Answer token = handout.forDiscover(id, state, installerKey, keyFingerprint);
        String instruction = instruction(state, token.token() != null);
        return new DiscoverResponse(id.toString(), state.name(), token.token(), properties.bootstrap().pollAfterSeconds(),
                instruction, token.message(), version,
                RESCUE_INSTRUCTION.equals(instruction) ? operatorSshKeys() : null);
    }

    /** The public keys of the intent in force that a rescue installer lets in (none without an intent). */
    private List<String> operatorSshKeys() {
        return intents.current().map(i -> i.state().cluster() == null ? List.<String>of() : i.state().cluster().operatorSshKeys())
                .orElse(List.of());
    }

    /** {@code rescue=ready}: a rescue installer wrote the operators' keys and runs sshd; anything else is a 400. */
    private static boolean parseRescue(String rescue) {
        if (rescue == null) {
            return false;
        }
        if (!rescue.equals("ready")) {
            throw new InvalidRequestException("invalid discover request",
                    List.of(new FieldError("rescue", "must be 'ready' (sent by a rescue installer once sshd runs) or absent")));
        }
        return true;
    }

    /** The raw public key of {@code installer.publicKey}, null when none was sent; 400 when it is not a usable one. */
    private static byte[] installerKey(MachineInventory announced) {
        String key = announced.installer() == null ? null : announced.installer().publicKey();
        if (key == null) {
            return null;
        }
        try {
            return InstallerKey.parsePublicKey(key);
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.of("installer.publicKey", e.getMessage());
        }
    }

    /**
     * The plan for the token's machine: {@code {assignment, secrets, plan}}. Fetching it starts the
     * install (StartInstall → INSTALLING); fetching it again while installing answers the same plan.
     * While the plan is not issued yet, waits up to {@code wait} (e.g. {@code 30s}) and then answers 204.
     * The wait holds no thread: the request is completed by the machine's events ({@link MachineSignals}).
     */
    @GetMapping("/plan")
    DeferredResult<ResponseEntity<BootstrapPlan>> plan(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestParam(required = false) String wait,
            @RequestParam(required = false) String machineId,
            HttpServletRequest request) {
        MachineId requested = machineId == null ? null : MachineController.parseId(machineId);
        Duration maxWait = parseWait(wait);
        RequestContext caller = RequestContext.installer(request);
        MachineId id = tokens.authorize(authorization, requested).machineId(); // refused at once: no wait
        return ReadWaits.deferred(signals.await(id.toString(), maxWait, () -> planNow(authorization, requested, caller))
                .thenApply(plan -> plan.orElseGet(() ->
                        ResponseEntity.noContent().header(HttpHeaders.RETRY_AFTER, "5").build())), maxWait);
    }

    /** The plan when it is issued (starting the install when it is pending), empty while it is not yet. */
    private Optional<ResponseEntity<BootstrapPlan>> planNow(String authorization, MachineId requested, RequestContext caller) {
        SealedSecret secret = tokens.authorize(authorization, requested);
        MachineId id = secret.machineId();
        MachineDetail machine = history.current(id).orElseThrow(() -> NotFoundException.machine(id));
        boolean current = machine.install() != null && secret.planId().equals(machine.install().planId());
        if (current && machine.state() == MachineState.INSTALL_PENDING) {
            commands.send(new StartInstall(id, secret.planId()), installer(caller, id));
            return Optional.of(planResponse(secret));
        }
        if (current && machine.state() == MachineState.INSTALLING) {
            return Optional.of(planResponse(secret));
        }
        if (machine.state() != MachineState.INSTALL_PENDING) {
            throw new ForbiddenException("machine " + id + " is " + machine.state() + ": it has no install pending");
        }
        return Optional.empty();
    }

    private static <T> DeferredResult<T> done(T value) {
        DeferredResult<T> result = new DeferredResult<>();
        result.setResult(value);
        return result;
    }

    /** {@code started}, {@code running}, {@code succeeded}, {@code failed} for the token's plan. */
    @PostMapping("/progress")
    ResponseEntity<InstallProgressAck> progress(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                                @RequestBody(required = false) JsonNode body,
                                                HttpServletRequest request) {
        SealedSecret secret;
        try {
            secret = tokens.authorize(authorization);
        } catch (ForbiddenException refused) {
            return repeatedSuccess(authorization, body, request.getHeader(InstallProgress.PROGRESS_TOKEN_HEADER))
                    .orElseThrow(() -> refused);
        }
        InstallProgress report = validate(bodies.read(body, InstallProgress.class));
        if (!secret.planId().equals(report.planId())) {
            throw new ForbiddenException("the install token is for another plan than " + abbreviate(report.planId()));
        }
        tokens.requireProgressToken(secret, request.getHeader(InstallProgress.PROGRESS_TOKEN_HEADER));
        MachineId id = secret.machineId();
        RequestContext context = installer(RequestContext.installer(request), id);
        MachineState state = switch (report.result()) {
            case InstallProgress.STARTED -> history.current(id).map(MachineDetail::state).orElse(null) == MachineState.INSTALL_PENDING
                    ? commands.send(new StartInstall(id, report.planId()), context)
                    : commands.send(new ReportInstallProgress(id, report.planId(), report.step() == null ? "started" : report.step(),
                    report.percent(), report.message()), context);
            case InstallProgress.RUNNING -> commands.send(new ReportInstallProgress(id, report.planId(), report.step(),
                    report.percent(), report.message()), context);
            case InstallProgress.SUCCEEDED -> commands.send(new CompleteInstall(id, report.planId()), context);
            default -> commands.send(new FailInstall(id, report.planId(),
                    report.message() == null || report.message().isBlank() ? "the installer reported a failure"
                            + (report.step() == null ? "" : " in step " + report.step()) : report.message(),
                    report.logTail()), context);
        };
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new InstallProgressAck(id.toString(), report.planId(), state.name()));
    }

    /**
     * {@code succeeded} again for the plan whose success is already recorded (the token was revoked by
     * it): the first answer was lost (the deployer crashed after committing it, a proxy dropped it), so
     * the installer gets that answer again and nothing changes. Without this it would see a 403, not
     * reboot, and boot the installer again on an INSTALLED machine.
     */
    private Optional<ResponseEntity<InstallProgressAck>> repeatedSuccess(String authorization, JsonNode body,
                                                                        String progressToken) {
        Optional<SealedSecret> ended = tokens.endedInstall(authorization);
        if (ended.isEmpty() || body == null || !InstallProgress.SUCCEEDED.equals(body.path("result").asText())
                || !ended.get().planId().equals(body.path("planId").asText())) {
            return Optional.empty();
        }
        tokens.requireProgressToken(ended.get(), progressToken);
        MachineId id = ended.get().machineId();
        return history.current(id)
                .filter(m -> m.install() != null && ended.get().planId().equals(m.install().planId())
                        && "succeeded".equals(m.install().result()))
                .map(m -> ResponseEntity.status(HttpStatus.ACCEPTED)
                        .body(new InstallProgressAck(id.toString(), ended.get().planId(), m.state().name())));
    }

    /**
     * The plan with its secrets sealed to the key of the installer the token was handed to (HPKE; see
     * docs/bootstrap.md): the private keys are unsealed from the KEK only to be sealed again at once, and
     * never leave this method in the clear. Every answer is a fresh seal.
     */
    private ResponseEntity<BootstrapPlan> planResponse(SealedSecret secret) {
        if (secret.installerPublicKey() == null) {
            throw new ForbiddenException("the install token was not handed to an installer key; discover again");
        }
        BootstrapPlan stored;
        try {
            stored = json.readValue(secret.planJson(), BootstrapPlan.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored plan of machine " + secret.machineId() + " is unreadable", e);
        }
        BootstrapPlan.Secrets clear = new BootstrapPlan.Secrets(
                new BootstrapPlan.SshHostKey(secret.sealed().unsealSshPrivateKeyOpenssh(sealer), secret.sshPublicKey()),
                new BootstrapPlan.Tls(secret.certificatePem(), secret.sealed().unsealTlsPrivateKeyPem(sealer),
                        secret.caCertificatePem()), tokens.progressToken(secret));
        BootstrapPlan.Sealed sealed = PlanSecretsSeal.seal(clear, secret.installerPublicKey(), secret.machineId().toString(),
                secret.planId());
        return ResponseEntity.ok().cacheControl(CacheControl.noStore())
                .body(new BootstrapPlan(stored.assignment(), BootstrapPlan.Secrets.sealedAs(sealed), stored.plan()));
    }

    private static InstallProgress validate(InstallProgress r) {
        List<FieldError> errors = new ArrayList<>();
        if (r.planId() == null || r.planId().isBlank()) {
            errors.add(new FieldError("planId", "is required"));
        } else if (r.planId().length() > 64) {
            errors.add(new FieldError("planId", "at most 64 characters"));
        }
        if (r.result() == null || !RESULTS.contains(r.result())) {
            errors.add(new FieldError("result", "must be one of started, running, succeeded, failed"));
        }
        if (r.percent() != null && (r.percent() < 0 || r.percent() > 100)) {
            errors.add(new FieldError("percent", "must be between 0 and 100"));
        }
        if (r.step() != null && r.step().length() > 200) {
            errors.add(new FieldError("step", "at most 200 characters"));
        }
        if (r.message() != null && r.message().length() > 2000) {
            errors.add(new FieldError("message", "at most 2000 characters"));
        }
        if (r.logTail() != null && r.logTail().length() > MAX_LOG_TAIL) {
            errors.add(new FieldError("logTail", "at most " + MAX_LOG_TAIL + " characters"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("invalid progress report: " + errors.size() + " error(s)", errors);
        }
        return r;
    }

    private Duration parseWait(String wait) {
        return WaitParameter.parse(wait, properties.bootstrap().maxPlanWait());
    }

    private static RequestContext installer(RequestContext caller, MachineId id) {
        return new RequestContext("installer:" + id, caller.correlationId());
    }

    /** What the installer should do now: fetch a plan, boot rescue, or wait for an operator. */
    private static String instruction(MachineState state, boolean token) {
        return switch (state) {
            case INSTALL_PENDING -> token ? "install" : WAIT_INSTRUCTION;
            case RESCUE -> RESCUE_INSTRUCTION;
            default -> WAIT_INSTRUCTION;
        };
    }

    private static String abbreviate(String s) {
        return s == null ? "(none)" : s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }

}
