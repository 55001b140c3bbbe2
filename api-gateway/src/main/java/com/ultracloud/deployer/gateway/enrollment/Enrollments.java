package com.ultracloud.deployer.gateway.enrollment;

import com.ultracloud.deployer.gateway.claims.JdbcNodeClaims;
import com.ultracloud.deployer.gateway.config.DeployerProperties;
import com.ultracloud.deployer.gateway.machine.MachineCommands;
import com.ultracloud.deployer.gateway.machine.MachineHistory;
import com.ultracloud.deployer.gateway.machine.RequestContext;
import com.ultracloud.deployer.gateway.problem.ConflictException;
import com.ultracloud.deployer.gateway.problem.FieldError;
import com.ultracloud.deployer.gateway.problem.InvalidRequestException;
import com.ultracloud.deployer.gateway.problem.NotFoundException;
import com.ultracloud.deployer.machine.api.HardwareRequirements;
import com.ultracloud.deployer.machine.api.MachineError;
import com.ultracloud.deployer.machine.api.MachineErrorCode;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.NodeAssignment;
import com.ultracloud.deployer.machine.api.command.CommissionMachine;
import com.ultracloud.deployer.machine.api.intent.ClusterState;
import com.ultracloud.deployer.machine.api.intent.CurrentIntent;
import com.ultracloud.deployer.machine.command.NodeClaims;
import com.ultracloud.deployer.machine.domain.enrollment.Candidate;
import com.ultracloud.deployer.machine.domain.enrollment.Enrolled;
import com.ultracloud.deployer.machine.domain.enrollment.Enrollment;
import com.ultracloud.deployer.machine.domain.enrollment.EnrollmentMatcher;
import com.ultracloud.deployer.machine.domain.enrollment.Fleet;
import com.ultracloud.deployer.projection.inventory.FleetIndex;
import com.ultracloud.deployer.projection.inventory.InventoryProjection;
import com.ultracloud.deployer.projection.inventory.MachineDetail;
import org.axonframework.commandhandling.CommandExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enrollment in the gateway: the fleet as the matcher needs it (who holds which hostname, which rule
 * assigned whom), and the commission path that turns a match into a {@link CommissionMachine}.
 * <p>
 * Which hostname is free is read from the inventory projection, which may lag a just-made assignment by a
 * few milliseconds; assignments made or lost here are therefore also kept in a short-lived ledger until the
 * inventory shows them. That only makes a good first choice likely: whether the machine gets the name is
 * decided by the write side, which claims it in the transaction of the NodeAssigned event (ADR 0007), so two
 * machines never get the same name, whichever gateways commission them. A name chosen here (not requested)
 * that another machine claimed meanwhile is chosen again, up to {@value #ATTEMPTS} times in all.
 */
@Component
public class Enrollments {

    private static final Duration LEDGER_TTL = Duration.ofMinutes(10);
    /** Commission attempts when the chosen hostname is claimed by another machine between choice and command. */
    static final int ATTEMPTS = 3;
    private static final Logger log = LoggerFactory.getLogger(Enrollments.class);

    private final ClusterIntents intents;
    private final MachineHistory history;
    private final InventoryProjection inventory;
    private final FleetIndex index;
    private final MachineCommands commands;
    private final DeployerProperties properties;
    private final JdbcNodeClaims claims;
    private final Map<String, Held> ledger = new ConcurrentHashMap<>();
    private final HeldRuns runs = new HeldRuns(java.time.Clock.systemUTC());

    Enrollments(ClusterIntents intents, MachineHistory history, InventoryProjection inventory, FleetIndex index,
                MachineCommands commands, DeployerProperties properties, JdbcNodeClaims claims) {
        this.claims = claims;
        this.index = index;
        this.properties = properties;
        this.intents = intents;
        this.history = history;
        this.inventory = inventory;
        this.commands = commands;
    }

    private record Held(Enrolled enrolled, Instant at) {
    }

    public Optional<CurrentIntent> intent() {
        return intents.current();
    }

    /**
     * What the intent in force makes of this machine (computed now). A COMMISSIONED machine's
     * explanation ends with whether its install is requested automatically and, if not, why it waits.
     */
    public Enrollment evaluate(MachineDetail machine) {
        return intents.current().map(i -> {
            Enrollment e = evaluate(i.state(), i.generation(), machine, fleet());
            if (machine.state() != MachineState.COMMISSIONED) {
                return e;
            }
            String rule = machine.assignment() == null ? null : machine.assignment().matchedRule();
            return e.explainedFurther("install: " + EnrollmentMatcher.autoInstall(i.state(), rule).reason());
        }).orElseGet(Enrollment::noIntent);
    }

    /**
     * Why the machine waits for an operator, as one sentence ("waits for an operator to commission it:
     * ..."), or null when enrollment moves it on by itself or it is past enrollment. Machines in
     * DISCOVERED, INSPECTED and COMMISSIONED only; {@code e} is {@link #evaluate(MachineDetail)}'s outcome.
     */
    public String operatorWait(MachineDetail machine, Enrollment e) {
        String step = switch (machine.state()) {
            case DISCOVERED -> "inspect";
            case INSPECTED -> "commission";
            case COMMISSIONED -> "request the install";
            default -> null;
        };
        if (step == null) {
            return null;
        }
        String waits = "waits for an operator to " + step + (step.startsWith("request") ? "" : " it") + ": ";
        if (!properties.enrollment().automation()) {
            return waits + "enrollment automation is off (deployer.enrollment.automation = false)";
        }
        if (machine.state() == MachineState.COMMISSIONED) {
            String matched = machine.assignment() == null ? null : machine.assignment().matchedRule();
            return intents.current().map(i -> EnrollmentMatcher.autoInstall(i.state(), matched))
                    .filter(a -> !a.automatic()).map(a -> a.reason())
                    .orElse(intents.current().isEmpty() ? waits + "no cluster intent has been imported" : null);
        }
        if (!e.isMatched()) {
            return waits + (intents.current().isEmpty() ? "no cluster intent has been imported"
                    : "no node or enrollment rule of the cluster intent matches the machine");
        }
        if (machine.state() == MachineState.DISCOVERED && !e.autoInspect()) {
            return waits + e.matched().replaceFirst(":", " ")
                    + " does not inspect automatically (autoInspect = false)";
        }
        if (machine.state() == MachineState.INSPECTED && !e.autoCommission()) {
            return waits + e.matched().replaceFirst(":", " ")
                    + " does not commission automatically (autoCommission = false)";
        }
        return null;
    }

    static Enrollment evaluate(ClusterState state, long generation, MachineDetail machine, List<Enrolled> fleet) {
        return evaluate(state, generation, machine, Fleet.of(fleet));
    }

    static Enrollment evaluate(ClusterState state, long generation, MachineDetail machine, Fleet fleet) {
        if (machine.hardware() == null) {
            return new Enrollment(null, null, HardwareRequirements.NONE, false, false, false,
                    List.of("the machine has reported no hardware facts"), generation);
        }
        String own = isAssigned(machine) ? machine.hostname() : null;
        return EnrollmentMatcher.match(state, generation, new Candidate(machine.machineId(), machine.hardware(), own), fleet);
    }

    static boolean isAssigned(MachineDetail m) {
        return m.hostname() != null && m.state() != MachineState.RETIRED;
    }

    /**
     * The fleet as the matcher asks about it: indexed lookups on the inventory, plus the assignments made
     * here that the inventory does not show yet. Costs at most one statement now (to forget the
     * assignments the inventory has caught up with); each question asked of it costs one or two more.
     */
    public Fleet fleet() {
        if (!ledger.isEmpty()) {
            Map<String, String> shown = index.hostnamesOf(List.copyOf(ledger.keySet()));
            Instant expiry = Instant.now().minus(LEDGER_TTL);
            ledger.entrySet().removeIf(e -> Objects.equals(shown.get(e.getKey()), e.getValue().enrolled().hostname())
                    || e.getValue().at().isBefore(expiry));
        }
        return new InventoryFleet(index, runs, ledger.values().stream().map(Held::enrolled).toList());
    }

    /**
     * Every live machine that holds a hostname among {@code machines}, including assignments the
     * inventory does not show yet: for the intent preview, which looks at every machine anyway.
     */
    List<Enrolled> fleet(List<MachineDetail> machines) {
        Map<String, Enrolled> byId = new LinkedHashMap<>();
        Map<String, MachineDetail> seen = new HashMap<>();
        for (MachineDetail m : machines) {
            seen.put(m.machineId(), m);
            if (isAssigned(m)) {
                byId.put(m.machineId(), new Enrolled(m.machineId(), m.hostname(),
                        m.assignment() == null ? null : m.assignment().matchedRule()));
            }
        }
        Instant expiry = Instant.now().minus(LEDGER_TTL);
        ledger.entrySet().removeIf(e -> {
            MachineDetail m = seen.get(e.getKey());
            boolean caughtUp = m != null && Objects.equals(m.hostname(), e.getValue().enrolled().hostname());
            return caughtUp || e.getValue().at().isBefore(expiry);
        });
        ledger.forEach((id, held) -> byId.put(id, held.enrolled()));
        return new ArrayList<>(byId.values());
    }

    /**
     * Every machine of the inventory but the retired ones, oldest discovery first. Reads and decodes the
     * whole inventory: for the intent preview only, never on a per-machine path.
     */
    public List<MachineDetail> live() {
        return inventory.snapshot().stream().filter(m -> m.state() != MachineState.RETIRED)
                .sorted(Comparator.comparing(MachineDetail::discoveredAt, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(MachineDetail::machineId))
                .toList();
    }

    /**
     * What {@code inspect} checks: the minimum traits of {@code nodeClass} when given, else of the
     * class the machine is assigned or would be assigned; none when there is no intent or no match.
     */
    public HardwareRequirements inspectionRequirements(MachineId id, String nodeClass) {
        Optional<CurrentIntent> intent = intents.current();
        if (nodeClass != null) {
            if (intent.isEmpty()) {
                throw InvalidRequestException.of("nodeClass", "no cluster intent has been imported, so no node class is known");
            }
            if (EnrollmentMatcher.classNamed(intent.get().state(), nodeClass).isEmpty()) {
                throw InvalidRequestException.of("nodeClass", "unknown node class \"" + nodeClass + "\" (known: "
                        + String.join(", ", intent.get().state().nodeClasses().stream().map(ClusterState.NodeClass::name).toList()) + ")");
            }
            return EnrollmentMatcher.requirementsOf(intent.get().state(), nodeClass);
        }
        if (intent.isEmpty()) {
            return HardwareRequirements.NONE;
        }
        MachineDetail m = history.current(id).orElseThrow(() -> NotFoundException.machine(id));
        if (isAssigned(m) && m.nodeClass() != null) {
            return EnrollmentMatcher.requirementsOf(intent.get().state(), m.nodeClass());
        }
        return evaluate(m).requirements();
    }

    /** Explicit fields of a commission request; every one may be null (= take it from the matching node or rule). */
    public record Requested(String nodeClass, String pool, String hostname, String nodeId, Map<String, String> labels) {
        public static final Requested NONE = new Requested(null, null, null, null, null);

        /** Enough for an assignment without a match: a class and a hostname, and a pool when the intent has pools. */
        boolean complete(boolean poolsDefined) {
            return nodeClass != null && hostname != null && (pool != null || !poolsDefined);
        }
    }

    /**
     * Commissions the machine: with the assignment of its matching node or rule, overridden by the
     * fields the request gives. A complete explicit request (class, pool, hostname) needs no match.
     *
     * @throws ConflictException (409) when fields are missing and nothing matches, or the hostname is taken
     */
    public MachineState commission(MachineId id, Requested requested, Long expectedVersion, RequestContext context) {
        for (int attempt = 1; ; attempt++) {
            try {
                return commissionOnce(id, requested, expectedVersion, context);
            } catch (CommandExecutionException e) {
                MachineError.Taken taken = takenHostname(e);
                if (taken == null || requested.hostname() != null || attempt >= ATTEMPTS) {
                    throw e; // a 409 hostname-taken / node-id-taken (ProblemAdvice); the policy logs it
                }
                log.info("machine {}: hostname {} was claimed by machine {} since it was chosen; choosing again "
                        + "(attempt {} of {})", id, taken.value(), taken.heldBy(), attempt + 1, ATTEMPTS);
                if (taken.heldBy() != null) {
                    ledger.put(taken.heldBy(), new Held(new Enrolled(taken.heldBy(), taken.value(), null), Instant.now()));
                }
            }
        }
    }

    /** The hostname the write side refused as another machine's, or null when {@code e} is another refusal. */
    private static MachineError.Taken takenHostname(CommandExecutionException e) {
        Object details = e.getDetails().orElse(null);
        if (details instanceof MachineError error && error.code() == MachineErrorCode.TAKEN && error.taken() != null
                && "hostname".equals(error.taken().kind())) {
            return error.taken();
        }
        return null;
    }

    private MachineState commissionOnce(MachineId id, Requested requested, Long expectedVersion, RequestContext context) {
        MachineDetail m = history.current(id).orElseThrow(() -> NotFoundException.machine(id));
        Optional<CurrentIntent> intent = intents.current();
        Fleet fleet = fleet();
        Enrollment e = intent.map(i -> evaluate(i.state(), i.generation(), m, fleet)).orElseGet(Enrollment::noIntent);
        NodeAssignment assignment;
        boolean poolsDefined = intent.map(i -> !i.state().pools().isEmpty()).orElse(true);
        if (requested.complete(poolsDefined)) {
            intent.ifPresent(i -> checkKnown(i.state(), requested));
            Map<String, String> labels = intent.map(i -> EnrollmentMatcher.labelsOf(i.state(), requested.nodeClass(),
                    requested.pool(), requested.labels())).orElse(requested.labels());
            assignment = new NodeAssignment(requested.nodeId(), requested.hostname(), requested.nodeClass(),
                    requested.pool(), labels, null, intent.map(CurrentIntent::generation).orElse(null));
        } else {
            if (!e.isMatched()) {
                Map<String, Object> props = new LinkedHashMap<>();
                props.put("machineId", id.toString());
                props.put("enrollment", EnrollmentView.of(e));
                String why = intent.isEmpty() ? "no cluster intent has been imported"
                        : "no node or enrollment rule matches the machine";
                throw new ConflictException("no-enrollment-match", "machine " + id + " cannot be commissioned from the intent: "
                        + why + "; give " + (poolsDefined ? "nodeClass, pool and hostname" : "nodeClass and hostname")
                        + " to assign it explicitly", props);
            }
            intent.ifPresent(i -> checkKnown(i.state(), requested));
            NodeAssignment base = e.assignment();
            Map<String, String> labels = new java.util.TreeMap<>(base.labels());
            if (requested.labels() != null) {
                labels.putAll(requested.labels());
            }
            String hostname = or(requested.hostname(), base.hostname());
            assignment = new NodeAssignment(or(requested.nodeId(), requested.hostname() != null ? hostname : base.nodeId()),
                    hostname, or(requested.nodeClass(), base.nodeClass()), or(requested.pool(), base.pool()),
                    labels, base.matchedRule(), base.intentGeneration());
        }
        // early and with the holder: the committed claims, not the read model, which may still show a released
        // name as held (its holder retired a moment ago); the write side's claim in the command is what decides
        Optional<String> holder = claims.holderOf(NodeClaims.Kind.HOSTNAME, assignment.hostname())
                .filter(h -> !h.equals(id.toString()));
        if (holder.isPresent()) {
            throw new ConflictException("hostname-taken", "hostname " + assignment.hostname()
                    + " is already assigned to machine " + holder.get(),
                    Map.of("machineId", id.toString(), "hostname", assignment.hostname(), "heldBy", holder.get()));
        }
        MachineState state = commands.send(new CommissionMachine(id, assignment, expectedVersion), context);
        ledger.put(id.toString(), new Held(new Enrolled(id.toString(), assignment.hostname(), assignment.matchedRule()),
                Instant.now()));
        return state;
    }

    private static void checkKnown(ClusterState state, Requested r) {
        List<FieldError> errors = new ArrayList<>();
        if (r.nodeClass() != null && EnrollmentMatcher.classNamed(state, r.nodeClass()).isEmpty()) {
            errors.add(new FieldError("nodeClass", "unknown node class \"" + r.nodeClass() + "\" (known: "
                    + String.join(", ", state.nodeClasses().stream().map(ClusterState.NodeClass::name).toList()) + ")"));
        }
        if (r.pool() != null && EnrollmentMatcher.poolNamed(state, r.pool()).isEmpty()) {
            errors.add(new FieldError("pool", "unknown pool \"" + r.pool() + "\" (known: "
                    + String.join(", ", state.pools().stream().map(ClusterState.Pool::name).toList()) + ")"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("the assignment names what the cluster intent does not know", errors);
        }
    }

    private static String or(String a, String b) {
        return a != null ? a : b;
    }
}
