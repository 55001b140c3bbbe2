package com.ultracloud.deployer.machine.command;

import com.ultracloud.deployer.machine.api.DirectiveKinds;
import com.ultracloud.deployer.machine.api.HardwareRequirements;
import com.ultracloud.deployer.machine.api.IssuedCredentials;
import com.ultracloud.deployer.machine.api.LifecycleAction;
import com.ultracloud.deployer.machine.api.MachineException;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.NodeAssignment;
import com.ultracloud.deployer.machine.api.command.*;
import com.ultracloud.deployer.machine.api.event.*;
import com.ultracloud.deployer.machine.api.rollout.ActivationResult;
import com.ultracloud.deployer.machine.api.rollout.ActivationSettings;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;
import com.ultracloud.deployer.machine.api.rollout.RolloutStatus;
import com.ultracloud.deployer.machine.api.rollout.TargetSystem;
import com.ultracloud.deployer.machine.domain.HardwareChange;
import com.ultracloud.deployer.machine.domain.InspectionCheck;
import com.ultracloud.deployer.machine.lifecycle.Condition;
import com.ultracloud.deployer.machine.lifecycle.Lifecycle;
import com.ultracloud.deployer.machine.lifecycle.Transition;
import com.ultracloud.deployer.protocol.MachineInventory;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateRoot;
import org.axonframework.modelling.command.CreationPolicy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import static com.ultracloud.deployer.machine.api.LifecycleAction.*;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One bare-metal machine. Every command selects its row of the {@link Lifecycle} table, which
 * decides both whether it is allowed and which events it emits; state changes only in
 * {@link #on(MachineEvent)}.
 */
@AggregateRoot
class Machine {

    /** When a command does not say, an install may be attempted this many times. */
    static final int DEFAULT_ATTEMPT_LIMIT = 3;
    /** Who approved a rebind under deployer.bootstrap.rebind=automatic. */
    static final String AUTOMATIC_REBIND = "automatic";

    @AggregateIdentifier
    private MachineId id;
    private MachineState state; // null until the first MachineDiscovered
    private long generation;
    private MachineInventory facts;
    private String factsDigest;
    private MachineState lastStable;
    private MachineState returnState;
    private boolean rescueBooted; // an installer has booted since rescue was requested
    private List<String> rescueReadyAt; // the addresses the rescue installer last reported ready at
    private boolean lastEventEndedRescue; // the machine's last event is RescueExited
    private boolean drained;
    // the open directive of a rescue or reprovision (docs/day2.md): null when none; closed once an installer boots
    private String directiveId;
    private String directiveKind;
    private Condition directiveStage;
    private int directivesIssued;
    private int attempt;
    private int attemptLimit = DEFAULT_ATTEMPT_LIMIT;
    private String currentPlanId;
    private IssuedCredentials credentials;
    private String installerKey; // fingerprint of the key the pending install's secrets are sealed to
    private String rebindRequested; // fingerprint of a new installer key that awaits an operator
    // host rollout: its own field, never folded into the lifecycle state (DESIGN §1)
    private DeploymentId desiredDeployment; // null: no desired system (never set, or cleared by reprovision/retire)
    private long desiredGeneration; // high-water mark: never goes down, so an older deployment cannot win a race
    private TargetSystem desiredSystem;
    private ActivationSettings desiredActivation;
    private RolloutStatus rolloutStatus = RolloutStatus.NONE;

    Machine() {
        // for Axon: created empty, then sourced from events (or by discover's create-if-missing)
    }

    // ------------------------------------------------------------------ discovery

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    MachineState handle(DiscoverMachine cmd) {
        if (state == null) {
            id = cmd.machineId(); // a new aggregate: Axon needs the id before the first apply
        }
        boolean factsChanged = !Objects.equals(factsDigest, cmd.factsDigest());
        Set<Condition> holding = EnumSet.of(factsChanged ? Condition.FACTS_CHANGED : Condition.FACTS_UNCHANGED,
                attemptsRemainAfterThisOne() ? Condition.ATTEMPTS_REMAIN : Condition.ATTEMPTS_USED_UP);
        List<String> hardwareChanged = factsChanged && state != null ? HardwareChange.between(facts, cmd.facts()) : List.of();
        if (!hardwareChanged.isEmpty()) {
            holding.add(Condition.HARDWARE_CHANGED);
        }
        installerKeyCondition(cmd).ifPresent(holding::add);
        List<String> rescueAddresses = cmd.facts() == null || cmd.facts().network() == null ? List.of()
                : List.copyOf(cmd.facts().network().addresses());
        holding.add(cmd.rescueReady() && lastEventEndedRescue ? Condition.RESCUE_JUST_ENDED : Condition.NOT_RESCUE_JUST_ENDED);
        if (state == MachineState.RESCUE) {
            holding.add(!rescueBooted ? Condition.RESCUE_FIRST_BOOT
                    : cmd.rescueReady() && !rescueAddresses.equals(rescueReadyAt) ? Condition.RESCUE_READY_NEW
                    : Condition.RESCUE_NOTHING_NEW);
        }
        Transition row = select(DISCOVER, holding);
        MachineState to = target(row);
        String previousDigest = factsDigest;
        String boundKey = installerKey;
        IssuedCredentials issued = credentials;
        emit(row, type -> {
            if (type == MachineDiscovered.class) {
                return new MachineDiscovered(cmd.machineId(), generation + 1, cmd.fingerprint(), cmd.facts(),
                        cmd.factsDigest(), to);
            } else if (type == InventoryRefreshed.class) {
                return new InventoryRefreshed(id, cmd.facts(), cmd.factsDigest());
            } else if (type == InspectionInvalidated.class) {
                return new InspectionInvalidated(id, previousDigest, cmd.factsDigest(), hardwareChanged, issued, to);
            } else if (type == InstallerKeyBound.class) {
                return new InstallerKeyBound(id, cmd.installerKeyFingerprint());
            } else if (type == InstallerRebound.class) {
                return new InstallerRebound(id, boundKey, cmd.installerKeyFingerprint(), AUTOMATIC_REBIND, issued);
            } else if (type == InstallerRebindRequested.class) {
                return new InstallerRebindRequested(id, boundKey, cmd.installerKeyFingerprint());
            } else if (type == InstallAttemptAbandoned.class) {
                return new InstallAttemptAbandoned(id, attempt, attemptLimit, to);
            } else if (type == InstallRequested.class) {
                return new InstallRequested(id, attemptLimit, to);
            } else if (type == UnexpectedInstallerBoot.class) {
                return new UnexpectedInstallerBoot(id, state, cmd.factsDigest());
            } else if (type == RescueBooted.class) {
                return new RescueBooted(id);
            } else if (type == RescueReady.class) {
                return new RescueReady(id, rescueAddresses);
            }
            return null;
        });
        return state;
    }

    /**
     * Where the presented installer key stands: the first key binds, another key than the bound one (and
     * than one already awaiting approval) asks for a rebind; none when no key was sent or it is the bound one.
     */
    private java.util.Optional<Condition> installerKeyCondition(DiscoverMachine cmd) {
        String key = cmd.installerKeyFingerprint();
        if (key == null) {
            return java.util.Optional.empty();
        }
        if (installerKey == null) {
            return java.util.Optional.of(Condition.INSTALLER_UNBOUND);
        }
        if (key.equals(installerKey) || key.equals(rebindRequested)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(cmd.rebindNeedsApproval() ? Condition.INSTALLER_CHANGED_NEEDS_APPROVAL
                : Condition.INSTALLER_CHANGED);
    }

    @CommandHandler
    MachineState handle(ApproveInstallerRebind cmd, @MetaDataValue("principal") String principal) {
        Transition row = select(APPROVE_INSTALLER, rebindRequested == null ? Set.of() : EnumSet.of(Condition.REBIND_REQUESTED));
        if (cmd.keyFingerprint() != null && !cmd.keyFingerprint().equals(rebindRequested)) {
            throw MachineException.conflict(id, state, APPROVE_INSTALLER, "the installer key awaiting approval is "
                    + rebindRequested + ", not " + cmd.keyFingerprint());
        }
        String by = isBlank(principal) ? "unknown" : principal;
        emit(row, type -> new InstallerRebound(id, installerKey, rebindRequested, by, credentials));
        return state;
    }

    // ------------------------------------------------------------------ inspection and commissioning

    @CommandHandler
    MachineState handle(InspectMachine cmd) {
        HardwareRequirements requirements = cmd.requirements() == null ? HardwareRequirements.NONE : cmd.requirements();
        List<String> unmet = InspectionCheck.unmet(facts, requirements);
        Transition row = select(INSPECT, EnumSet.of(unmet.isEmpty() ? Condition.REQUIREMENTS_MET : Condition.REQUIREMENTS_UNMET));
        MachineState to = target(row);
        emit(row, type -> type == MachineInspected.class ? new MachineInspected(id, requirements, to)
                : new InspectionFailed(id, requirements, unmet, to));
        return state;
    }

    /**
     * The hostname and node id are claimed fleet-wide ({@link NodeClaims}) after every other check, just before
     * the events: the claim commits with them or not at all.
     */
    @CommandHandler
    MachineState handle(CommissionMachine cmd, NodeClaims claims) {
        Transition row = select(COMMISSION, Set.of());
        NodeAssignment a = cmd.assignment();
        List<String> missing = new ArrayList<>();
        if (a == null || isBlank(a.hostname())) missing.add("hostname");
        if (a == null || isBlank(a.nodeClass())) missing.add("nodeClass");
        // no pool is fine: pools are optional in the intent (a node or rule may name none)
        if (!missing.isEmpty()) {
            throw MachineException.invalid(id, state, COMMISSION, "the assignment lacks " + String.join(", ", missing));
        }
        NodeAssignment assignment = isBlank(a.nodeId())
                ? new NodeAssignment(a.hostname(), a.hostname(), a.nodeClass(), a.pool(), a.labels(), a.matchedRule(), a.intentGeneration())
                : a;
        MachineState to = target(row);
        claims.claim(id, assignment.hostname(), assignment.nodeId()).ifPresent(taken -> {
            throw MachineException.taken(id, state, COMMISSION, taken.kind().wireName(), taken.kind().field(),
                    taken.value(), taken.heldBy());
        });
        emit(row, type -> type == MachineCommissioned.class ? new MachineCommissioned(id, to)
                : new NodeAssigned(id, assignment));
        return state;
    }

    // ------------------------------------------------------------------ installation

    @CommandHandler
    MachineState handle(RequestInstall cmd) {
        if (cmd.attemptLimit() < 1) {
            throw MachineException.invalid(id, state, REQUEST_INSTALL, "attemptLimit must be at least 1");
        }
        Transition row = select(REQUEST_INSTALL, Set.of());
        MachineState to = target(row);
        emit(row, type -> new InstallRequested(id, cmd.attemptLimit(), to));
        return state;
    }

    @CommandHandler
    MachineState handle(IssueInstallPlan cmd) {
        Transition row = select(ISSUE_PLAN, Set.of());
        if (cmd.plan() == null || isBlank(cmd.plan().planId()) || cmd.credentials() == null) {
            throw MachineException.invalid(id, state, ISSUE_PLAN, "a plan id and credentials are required");
        }
        emit(row, type -> type == BootstrapCredentialsIssued.class
                ? new BootstrapCredentialsIssued(id, cmd.plan().planId(), cmd.credentials())
                : new InstallPlanIssued(id, cmd.plan(), cmd.detail()));
        return state;
    }

    @CommandHandler
    MachineState handle(FailInstallPlan cmd) {
        Transition row = select(FAIL_PLAN, Set.of());
        String reason = isBlank(cmd.reason()) ? "no install plan could be rendered" : cmd.reason();
        MachineState to = target(row);
        emit(row, type -> new InstallPlanFailed(id, reason, cmd.problems(), to));
        return state;
    }

    @CommandHandler
    MachineState handle(StartInstall cmd) {
        Transition row = select(START_INSTALL, Set.of());
        requireCurrentPlan(START_INSTALL, cmd.planId());
        MachineState to = target(row);
        emit(row, type -> new InstallStarted(id, cmd.planId(), attempt + 1, to));
        return state;
    }

    @CommandHandler
    MachineState handle(ReportInstallProgress cmd) {
        Transition row = select(REPORT_PROGRESS, Set.of());
        requireCurrentPlan(REPORT_PROGRESS, cmd.planId());
        if (cmd.percent() != null && (cmd.percent() < 0 || cmd.percent() > 100)) {
            throw MachineException.invalid(id, state, REPORT_PROGRESS, "percent must be between 0 and 100");
        }
        emit(row, type -> new InstallProgressReported(id, cmd.planId(), cmd.step(), cmd.percent(), cmd.message()));
        return state;
    }

    @CommandHandler
    MachineState handle(CompleteInstall cmd) {
        Transition row = select(COMPLETE_INSTALL, Set.of());
        requireCurrentPlan(COMPLETE_INSTALL, cmd.planId());
        MachineState to = target(row);
        emit(row, type -> new InstallSucceeded(id, cmd.planId(), to));
        return state;
    }

    @CommandHandler
    MachineState handle(FailInstall cmd) {
        Transition row = select(FAIL_INSTALL, EnumSet.of(
                attempt < attemptLimit ? Condition.ATTEMPTS_REMAIN : Condition.ATTEMPTS_USED_UP));
        requireCurrentPlan(FAIL_INSTALL, cmd.planId());
        MachineState to = target(row);
        emit(row, type -> new InstallFailed(id, cmd.planId(), attempt, attemptLimit, cmd.reason(), cmd.logTail(), to));
        return state;
    }

    @CommandHandler
    MachineState handle(TimeOutInstall cmd) {
        Transition row = select(TIME_OUT_INSTALL, Set.of());
        MachineState to = target(row);
        emit(row, type -> new InstallTimedOut(id, cmd.phase() == null ? state.name() : cmd.phase(), to));
        return state;
    }

    @CommandHandler
    MachineState handle(ActivateMachine cmd) {
        Transition row = select(ACTIVATE, Set.of());
        MachineState to = target(row);
        emit(row, type -> new MachineActivated(id, cmd.runningSystem(), to));
        return state;
    }

    // ------------------------------------------------------------------ host rollout

    @CommandHandler
    MachineState handle(SetDesiredSystem cmd) {
        List<String> problems = new ArrayList<>();
        if (cmd.deploymentId() == null) problems.add("a deployment id is required");
        if (cmd.generation() < 1) problems.add("generation must be at least 1");
        String system = cmd.system() == null ? "a target system is required" : cmd.system().problem();
        if (system != null) problems.add(system);
        if (system == null && cmd.system().perHost()) problems.add("the attribute still contains " + TargetSystem.HOSTNAME);
        String activation = cmd.activation() == null ? "activation settings are required" : cmd.activation().problem();
        if (activation != null) problems.add(activation);
        boolean unchanged = problems.isEmpty() && cmd.deploymentId().equals(desiredDeployment)
                && cmd.generation() == desiredGeneration && cmd.system().equals(desiredSystem)
                && cmd.activation().equals(desiredActivation);
        Transition row = select(SET_DESIRED_SYSTEM, EnumSet.of(unchanged ? Condition.DESIRED_SYSTEM_UNCHANGED
                : Condition.DESIRED_SYSTEM_NEW));
        if (!problems.isEmpty()) {
            throw MachineException.invalid(id, state, SET_DESIRED_SYSTEM, String.join("; ", problems));
        }
        if (!unchanged && cmd.generation() < desiredGeneration) {
            throw MachineException.conflict(id, state, SET_DESIRED_SYSTEM, "generation " + cmd.generation()
                    + " of deployment " + cmd.deploymentId() + " is older than the current generation "
                    + desiredGeneration + (desiredDeployment == null ? "" : " of deployment " + desiredDeployment));
        }
        if (!unchanged && cmd.generation() == desiredGeneration) {
            throw MachineException.conflict(id, state, SET_DESIRED_SYSTEM, "generation " + cmd.generation()
                    + " is already desired with " + (cmd.deploymentId().equals(desiredDeployment)
                    ? "another system or activation" : "deployment " + desiredDeployment));
        }
        emit(row, type -> new DesiredSystemSet(id, cmd.deploymentId(), cmd.generation(), cmd.system(), cmd.activation()));
        return state;
    }

    /**
     * Records the agent's report; a report about another deployment or generation than the current desired
     * system is recorded as stale and changes nothing. The first {@code healthy} while INSTALLED is the first
     * boot: it also takes the lifecycle's activate row (MachineActivated, INSTALLED to ACTIVE), stale or not,
     * since it proves the installed node runs a healthy agent.
     */
    @CommandHandler
    MachineState handle(ReportActivation cmd) {
        Transition row = select(REPORT_ACTIVATION, Set.of());
        if (cmd.result() == null) {
            throw MachineException.invalid(id, state, REPORT_ACTIVATION,
                    "result is required (started, healthy, failed or rolled-back)");
        }
        boolean current = isCurrent(cmd.deploymentId(), cmd.generation());
        emit(row, type -> new ActivationReported(id, cmd.deploymentId(), cmd.generation(), cmd.result(),
                cmd.runningSystem(), cmd.message(), current));
        if (cmd.result() == ActivationResult.HEALTHY && state == MachineState.INSTALLED) {
            Transition activate = select(ACTIVATE, Set.of());
            MachineState to = target(activate);
            emit(activate, type -> new MachineActivated(id, cmd.runningSystem(), to));
        }
        return state;
    }

    /** A report is about the current desired system: the same deployment (none for the installed system) and generation. */
    private boolean isCurrent(DeploymentId deployment, long reportedGeneration) {
        if (!Objects.equals(deployment, desiredDeployment)) {
            return false;
        }
        return deployment == null || reportedGeneration == desiredGeneration;
    }

    // ------------------------------------------------------------------ operations

    @CommandHandler
    MachineState handle(DrainMachine cmd) {
        return simple(DRAIN, Set.of(), to -> new DrainStarted(id, to));
    }

    @CommandHandler
    MachineState handle(CompleteDrain cmd) {
        return simple(COMPLETE_DRAIN, EnumSet.of(drained ? Condition.DRAINED : Condition.NOT_DRAINED),
                to -> new DrainCompleted(id, to));
    }

    @CommandHandler
    MachineState handle(UndrainMachine cmd) {
        return simple(UNDRAIN, Set.of(), to -> new DrainCancelled(id, to));
    }

    @CommandHandler
    MachineState handle(ReprovisionMachine cmd) {
        Set<Condition> holding = EnumSet.of(drained ? Condition.DRAINED : Condition.NOT_DRAINED);
        if (cmd.force()) {
            holding.add(Condition.FORCED);
        }
        String directive = nextDirectiveId();
        return simple(REPROVISION, holding, to -> new ReprovisionRequested(id, cmd.force(), credentials, to, directive));
    }

    @CommandHandler
    MachineState handle(RescueMachine cmd) {
        String directive = nextDirectiveId();
        return simple(LifecycleAction.RESCUE, Set.of(), to -> new RescueRequested(id, state, to, directive));
    }

    /**
     * The id of the directive a rescue or reprovision gives the machine's nix-agent, or null when no agent runs: only
     * a machine that runs its installed system (INSTALLED, ACTIVE, DRAINING, or FAILED from one of them) has one.
     */
    private String nextDirectiveId() {
        boolean runsInstalledSystem = RUNS_INSTALLED_SYSTEM.contains(state)
                || (state == MachineState.FAILED && RUNS_INSTALLED_SYSTEM.contains(lastStable));
        return runsInstalledSystem ? "directive-" + (directivesIssued + 1) : null;
    }

    private static final Set<MachineState> RUNS_INSTALLED_SYSTEM =
            EnumSet.of(MachineState.INSTALLED, MachineState.ACTIVE, MachineState.DRAINING);

    @CommandHandler
    MachineState handle(AcknowledgeDirective cmd) {
        Transition row = select(ACKNOWLEDGE_DIRECTIVE, openDirective(ACKNOWLEDGE_DIRECTIVE, cmd.directiveId()));
        String kind = directiveKind;
        emit(row, type -> new DirectiveAcknowledged(id, cmd.directiveId(), kind));
        return state;
    }

    @CommandHandler
    MachineState handle(FailDirective cmd) {
        Set<Condition> holding = openDirective(FAIL_DIRECTIVE, cmd.directiveId());
        if (FailDirective.ACKNOWLEDGE.equals(cmd.phase()) && directiveStage == Condition.DIRECTIVE_ACKNOWLEDGED) {
            holding = EnumSet.of(Condition.DIRECTIVE_OVERTAKEN);
        }
        Transition row = select(FAIL_DIRECTIVE, holding);
        String kind = directiveKind;
        String phase = isBlank(cmd.phase()) ? FailDirective.AGENT : cmd.phase();
        String reason = isBlank(cmd.reason()) ? "the machine did not carry the directive out" : cmd.reason();
        emit(row, type -> new DirectiveFailed(id, cmd.directiveId(), kind, phase, reason));
        return state;
    }

    /**
     * The stage of the open directive {@code directiveId}; a 409 naming the open one when it is another (or none),
     * after the state's own check, so that a machine in any other state refuses the action as an illegal transition.
     */
    private Set<Condition> openDirective(LifecycleAction action, String presented) {
        if (directiveId != null && directiveId.equals(presented)) {
            return EnumSet.of(directiveStage);
        }
        select(action, EnumSet.of(Condition.DIRECTIVE_PENDING));
        throw MachineException.conflict(id, state, action, "directive " + presented + " is not open on this machine ("
                + (directiveId == null ? "it has none" : "its open directive is " + directiveId) + ")");
    }

    @CommandHandler
    MachineState handle(ExitRescue cmd) {
        return simple(EXIT_RESCUE, Set.of(), to -> new RescueExited(id, to));
    }

    @CommandHandler
    MachineState handle(MarkMachineFailed cmd, @MetaDataValue("principal") String principal) {
        String reason = isBlank(cmd.reason()) ? "marked failed without a reason" : cmd.reason();
        String by = isBlank(principal) ? "unknown" : principal;
        return simple(MARK_FAILED, Set.of(), to -> new MachineMarkedFailed(id, reason, by, state, to));
    }

    @CommandHandler
    MachineState handle(RecoverMachine cmd) {
        return simple(RECOVER, Set.of(), to -> new MachineRecovered(id, to));
    }

    /** A retired machine holds no hostname or node id any more: its claims go with the event. */
    @CommandHandler
    MachineState handle(RetireMachine cmd, NodeClaims claims) {
        Transition row = select(RETIRE, EnumSet.of(drained ? Condition.DRAINED : Condition.NOT_DRAINED));
        MachineState to = target(row);
        claims.release(id);
        emit(row, type -> new MachineRetired(id, credentials, to));
        return state;
    }

    // ------------------------------------------------------------------ event sourcing

    @EventSourcingHandler
    void on(MachineEvent event) {
        lastEventEndedRescue = event instanceof RescueExited;
        trackDirective(event);
        if (event instanceof MachineDiscovered e) {
            id = e.machineId();
            generation = e.generation();
            facts = e.facts();
            factsDigest = e.factsDigest();
            lastStable = null;
            returnState = null;
            drained = false;
            attempt = 0;
            forgetInstall();
            forgetDesiredSystem();
        } else if (event instanceof InventoryRefreshed e) {
            facts = e.facts();
            factsDigest = e.factsDigest();
        } else if (event instanceof InspectionInvalidated) {
            forgetInstall();
        } else if (event instanceof InstallerKeyBound e) {
            installerKey = e.keyFingerprint();
        } else if (event instanceof InstallerRebindRequested e) {
            rebindRequested = e.keyFingerprint();
        } else if (event instanceof InstallerRebound e) {
            installerKey = e.keyFingerprint();
            rebindRequested = null;
            credentials = null; // revoked; the saga issues new ones
        } else if (event instanceof InstallRequested e) {
            attempt = 0;
            attemptLimit = e.attemptLimit();
            installerKey = null; // a new install binds whichever installer asks first
            rebindRequested = null;
        } else if (event instanceof InstallStarted e) {
            attempt = e.attempt();
        } else if (event instanceof BootstrapCredentialsIssued e) {
            credentials = e.credentials();
        } else if (event instanceof InstallPlanIssued e) {
            currentPlanId = e.plan().planId();
        } else if (event instanceof DrainStarted || event instanceof DrainCancelled) {
            drained = false;
        } else if (event instanceof DrainCompleted) {
            drained = true;
        } else if (event instanceof RescueRequested e) {
            returnState = e.returnState();
            rescueBooted = false;
            rescueReadyAt = null;
        } else if (event instanceof RescueBooted) {
            rescueBooted = true;
        } else if (event instanceof RescueReady e) {
            rescueReadyAt = e.addresses();
        } else if (event instanceof ReprovisionRequested || event instanceof MachineRetired) {
            forgetInstall();
            forgetDesiredSystem();
            drained = false;
        } else if (event instanceof DesiredSystemSet e) {
            desiredDeployment = e.deploymentId();
            desiredGeneration = e.generation();
            desiredSystem = e.system();
            desiredActivation = e.activation();
            rolloutStatus = RolloutStatus.PENDING;
        } else if (event instanceof ActivationReported e && e.current()) {
            rolloutStatus = RolloutStatus.after(e.result());
        }
        if (event instanceof StateChanged e) {
            state = e.state();
            if (state != MachineState.INSTALL_PENDING) {
                rebindRequested = null; // a rebind is a question about a pending install only
            }
            if (MachineState.STABLE.contains(state)) {
                lastStable = state;
            }
            if (event instanceof ReprovisionRequested) {
                lastStable = MachineState.COMMISSIONED; // the old install is going away; recover to "assigned"
            }
        }
    }

    /** A rescue or reprovision opens a directive; an installer's boot or any other state change closes it. */
    private void trackDirective(MachineEvent event) {
        String opened = event instanceof RescueRequested e ? e.directiveId()
                : event instanceof ReprovisionRequested e ? e.directiveId() : null;
        if (opened != null) {
            directiveId = opened;
            directiveKind = event instanceof RescueRequested ? DirectiveKinds.RESCUE : DirectiveKinds.REPROVISION;
            directiveStage = Condition.DIRECTIVE_PENDING;
            directivesIssued++;
        } else if (event instanceof DirectiveAcknowledged) {
            directiveStage = Condition.DIRECTIVE_ACKNOWLEDGED;
        } else if (event instanceof DirectiveFailed) {
            directiveStage = Condition.DIRECTIVE_FAILED;
        } else if (event instanceof RescueBooted || event instanceof StateChanged) {
            directiveId = null;
            directiveKind = null;
            directiveStage = null;
        }
    }

    /** The install's plan, credentials and installer binding are over (revoked, shredded, or never were). */
    private void forgetInstall() {
        currentPlanId = null;
        credentials = null;
        installerKey = null;
        rebindRequested = null;
    }

    /** The installed system is going away (or the machine is): nothing is desired any more; the generation stays. */
    private void forgetDesiredSystem() {
        desiredDeployment = null;
        desiredSystem = null;
        desiredActivation = null;
        rolloutStatus = RolloutStatus.NONE;
    }

    // ------------------------------------------------------------------ helpers

    /** For tests: the aggregate's view of itself. */
    MachineState state() {
        return state;
    }

    boolean drained() {
        return drained;
    }

    MachineState lastStable() {
        return lastStable;
    }

    MachineState returnState() {
        return returnState;
    }

    int attempt() {
        return attempt;
    }

    DeploymentId desiredDeployment() {
        return desiredDeployment;
    }

    long desiredGeneration() {
        return desiredGeneration;
    }

    TargetSystem desiredSystem() {
        return desiredSystem;
    }

    RolloutStatus rolloutStatus() {
        return rolloutStatus;
    }

    private MachineState simple(LifecycleAction action, Set<Condition> holding, Function<MachineState, Object> event) {
        Transition row = select(action, holding);
        MachineState to = target(row);
        emit(row, type -> event.apply(to));
        return state;
    }

    private Transition select(LifecycleAction action, Set<Condition> holding) {
        try {
            return Lifecycle.select(state, action, holding);
        } catch (Lifecycle.Rejection r) {
            throw r.guarded()
                    ? MachineException.precondition(id, state, action, r.allowedFrom(), r.getMessage())
                    : MachineException.illegalTransition(id, state, action, r.allowedFrom());
        }
    }

    private MachineState target(Transition row) {
        return row.to().resolve(state, lastStable, returnState);
    }

    /** Applies, in the row's order, one event of each type the row names; refuses any other. */
    private void emit(Transition row, Function<Class<?>, Object> factory) {
        for (Class<?> type : row.events()) {
            Object event = factory.apply(type);
            if (event == null || event.getClass() != type) {
                throw new IllegalStateException("lifecycle row " + row + " expects " + type.getSimpleName()
                        + " but the aggregate made " + (event == null ? "nothing" : event.getClass().getSimpleName()));
            }
            apply(event);
        }
    }

    private boolean attemptsRemainAfterThisOne() {
        return attempt < attemptLimit;
    }

    private void requireCurrentPlan(LifecycleAction action, String planId) {
        if (currentPlanId == null) {
            throw MachineException.conflict(id, state, action, "no install plan has been issued");
        }
        if (planId != null && !planId.equals(currentPlanId)) {
            throw MachineException.conflict(id, state, action,
                    "plan " + planId + " is not the current plan " + currentPlanId);
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
