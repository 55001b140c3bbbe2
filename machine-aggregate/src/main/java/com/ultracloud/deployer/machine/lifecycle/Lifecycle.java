package com.ultracloud.deployer.machine.lifecycle;

import com.ultracloud.deployer.machine.api.LifecycleAction;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.event.ActivationReported;
import com.ultracloud.deployer.machine.api.event.BootstrapCredentialsIssued;
import com.ultracloud.deployer.machine.api.event.DesiredSystemSet;
import com.ultracloud.deployer.machine.api.event.DirectiveAcknowledged;
import com.ultracloud.deployer.machine.api.event.DirectiveFailed;
import com.ultracloud.deployer.machine.api.event.DrainCancelled;
import com.ultracloud.deployer.machine.api.event.DrainCompleted;
import com.ultracloud.deployer.machine.api.event.DrainStarted;
import com.ultracloud.deployer.machine.api.event.InspectionFailed;
import com.ultracloud.deployer.machine.api.event.InspectionInvalidated;
import com.ultracloud.deployer.machine.api.event.InstallAttemptAbandoned;
import com.ultracloud.deployer.machine.api.event.InstallFailed;
import com.ultracloud.deployer.machine.api.event.InstallPlanFailed;
import com.ultracloud.deployer.machine.api.event.InstallPlanIssued;
import com.ultracloud.deployer.machine.api.event.InstallProgressReported;
import com.ultracloud.deployer.machine.api.event.InstallRequested;
import com.ultracloud.deployer.machine.api.event.InstallStarted;
import com.ultracloud.deployer.machine.api.event.InstallSucceeded;
import com.ultracloud.deployer.machine.api.event.InstallTimedOut;
import com.ultracloud.deployer.machine.api.event.InstallerKeyBound;
import com.ultracloud.deployer.machine.api.event.InstallerRebindRequested;
import com.ultracloud.deployer.machine.api.event.InstallerRebound;
import com.ultracloud.deployer.machine.api.event.InventoryRefreshed;
import com.ultracloud.deployer.machine.api.event.MachineActivated;
import com.ultracloud.deployer.machine.api.event.MachineCommissioned;
import com.ultracloud.deployer.machine.api.event.MachineDiscovered;
import com.ultracloud.deployer.machine.api.event.MachineInspected;
import com.ultracloud.deployer.machine.api.event.MachineMarkedFailed;
import com.ultracloud.deployer.machine.api.event.MachineRecovered;
import com.ultracloud.deployer.machine.api.event.MachineRetired;
import com.ultracloud.deployer.machine.api.event.NodeAssigned;
import com.ultracloud.deployer.machine.api.event.ReprovisionRequested;
import com.ultracloud.deployer.machine.api.event.RescueBooted;
import com.ultracloud.deployer.machine.api.event.RescueExited;
import com.ultracloud.deployer.machine.api.event.RescueReady;
import com.ultracloud.deployer.machine.api.event.RescueRequested;
import com.ultracloud.deployer.machine.api.event.UnexpectedInstallerBoot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static com.ultracloud.deployer.machine.api.LifecycleAction.*;
import static com.ultracloud.deployer.machine.api.MachineState.*;
import static com.ultracloud.deployer.machine.lifecycle.Condition.*;

/** The machine lifecycle of DESIGN §3, as data. */
public final class Lifecycle {

    /** Every transition, in the order of DESIGN §3. */
    public static final List<Transition> TABLE;

    static {
        Builder b = new Builder();
        // --- discovery: the installer (re)boots
        b.created(DISCOVER, List.of(MachineDiscovered.class), DISCOVERED, "first boot of the installer");
        for (MachineState s : List.of(DISCOVERED, INSPECTED, COMMISSIONED)) {
            b.t(s, DISCOVER, FACTS_CHANGED, List.of(InventoryRefreshed.class), Target.SAME, "facts changed");
            b.t(s, DISCOVER, FACTS_UNCHANGED, List.of(), Target.SAME, "idempotent: no event");
        }
        // install pending: the plan is for the hardware as inspected, and its secrets go to one installer key
        b.t(INSTALL_PENDING, DISCOVER, HARDWARE_CHANGED, List.of(InventoryRefreshed.class, InspectionInvalidated.class), to(DISCOVERED), "recorded, never silently: inspect again before any new plan");
        b.t(INSTALL_PENDING, DISCOVER, INSTALLER_CHANGED, List.of(InstallerRebound.class), Target.SAME, "old token and credentials revoked, new ones issued");
        b.t(INSTALL_PENDING, DISCOVER, INSTALLER_CHANGED_NEEDS_APPROVAL, List.of(InstallerRebindRequested.class), Target.SAME, "the new key waits for an operator");
        b.t(INSTALL_PENDING, DISCOVER, INSTALLER_UNBOUND, List.of(InstallerKeyBound.class), Target.SAME, "the plan's secrets are sealed to this key");
        b.t(INSTALL_PENDING, DISCOVER, FACTS_CHANGED, List.of(InventoryRefreshed.class), Target.SAME, "facts other than the hardware changed");
        b.t(INSTALL_PENDING, DISCOVER, FACTS_UNCHANGED, List.of(), Target.SAME, "idempotent: no event");
        b.t(INSTALLING, DISCOVER, ATTEMPTS_REMAIN, List.of(InstallAttemptAbandoned.class), to(INSTALL_PENDING), "installer rebooted mid-install");
        b.t(INSTALLING, DISCOVER, ATTEMPTS_USED_UP, List.of(InstallAttemptAbandoned.class), to(FAILED), "installer rebooted mid-install, no attempt left");
        b.t(REPROVISIONING, DISCOVER, FACTS_CHANGED, List.of(InventoryRefreshed.class, InstallRequested.class), to(INSTALL_PENDING), "installer booted for the reinstall");
        b.t(REPROVISIONING, DISCOVER, FACTS_UNCHANGED, List.of(InstallRequested.class), to(INSTALL_PENDING), "installer booted for the reinstall");
        b.t(RETIRED, DISCOVER, ALWAYS, List.of(MachineDiscovered.class), to(DISCOVERED), "new generation");
        for (MachineState s : List.of(INSTALLED, ACTIVE, DRAINING)) {
            b.t(s, DISCOVER, Condition.RESCUE_JUST_ENDED, List.of(), Target.SAME, "the rescue installer reboots into the system: not unexpected");
            b.t(s, DISCOVER, Condition.NOT_RESCUE_JUST_ENDED, List.of(UnexpectedInstallerBoot.class), Target.SAME, "recorded, operator decides");
        }
        b.t(FAILED, DISCOVER, FACTS_CHANGED, List.of(InventoryRefreshed.class), Target.SAME, "installer is told to wait");
        b.t(FAILED, DISCOVER, FACTS_UNCHANGED, List.of(), Target.SAME, "installer is told to wait");
        b.t(MachineState.RESCUE, DISCOVER, Condition.RESCUE_FIRST_BOOT, List.of(RescueBooted.class), Target.SAME, "installer gets rescue instructions and the operators' keys");
        b.t(MachineState.RESCUE, DISCOVER, Condition.RESCUE_READY_NEW, List.of(RescueReady.class), Target.SAME, "reachable by SSH at its addresses");
        b.t(MachineState.RESCUE, DISCOVER, Condition.RESCUE_NOTHING_NEW, List.of(), Target.SAME, "a heartbeat: nothing recorded");
        // --- inspection and commissioning
        for (MachineState s : List.of(DISCOVERED, INSPECTED)) {
            b.t(s, INSPECT, REQUIREMENTS_MET, List.of(MachineInspected.class), to(INSPECTED), "facts meet the requirements");
            b.t(s, INSPECT, REQUIREMENTS_UNMET, List.of(InspectionFailed.class), to(FAILED), "every unmet requirement listed");
        }
        b.t(INSPECTED, COMMISSION, ALWAYS, List.of(MachineCommissioned.class, NodeAssigned.class), to(COMMISSIONED), "rule match or explicit assignment");
        // --- installation
        b.t(COMMISSIONED, REQUEST_INSTALL, ALWAYS, List.of(InstallRequested.class), to(INSTALL_PENDING), "operator or auto-install rule");
        b.t(INSTALL_PENDING, APPROVE_INSTALLER, REBIND_REQUESTED, List.of(InstallerRebound.class), Target.SAME, "operator approves the new installer key");
        b.t(INSTALL_PENDING, ISSUE_PLAN, ALWAYS, List.of(BootstrapCredentialsIssued.class, InstallPlanIssued.class), Target.SAME, "install saga");
        b.t(INSTALL_PENDING, FAIL_PLAN, ALWAYS, List.of(InstallPlanFailed.class), to(FAILED), "install saga: no plan can be rendered (e.g. no disk matches the hints)");
        b.t(INSTALL_PENDING, START_INSTALL, ALWAYS, List.of(InstallStarted.class), to(INSTALLING), "installer fetched the plan");
        b.t(INSTALLING, REPORT_PROGRESS, ALWAYS, List.of(InstallProgressReported.class), Target.SAME, "installer progress");
        b.t(INSTALLING, COMPLETE_INSTALL, ALWAYS, List.of(InstallSucceeded.class), to(INSTALLED), "installer succeeded");
        b.t(INSTALLING, FAIL_INSTALL, ATTEMPTS_REMAIN, List.of(InstallFailed.class), to(INSTALL_PENDING), "retry");
        b.t(INSTALLING, FAIL_INSTALL, ATTEMPTS_USED_UP, List.of(InstallFailed.class), to(FAILED), "no attempt left");
        for (MachineState s : List.of(INSTALL_PENDING, INSTALLING)) {
            b.t(s, TIME_OUT_INSTALL, ALWAYS, List.of(InstallTimedOut.class), to(FAILED), "deadline");
        }
        b.t(INSTALLED, ACTIVATE, ALWAYS, List.of(MachineActivated.class), to(ACTIVE), "first boot, nix-agent healthy");
        // --- host rollout: its own field (desired system, last activation), never the lifecycle state
        for (MachineState s : List.of(INSTALLED, ACTIVE, DRAINING)) {
            b.t(s, SET_DESIRED_SYSTEM, DESIRED_SYSTEM_NEW, List.of(DesiredSystemSet.class), Target.SAME, "rollout saga or first-boot target; the agent learns it at once");
            b.t(s, SET_DESIRED_SYSTEM, DESIRED_SYSTEM_UNCHANGED, List.of(), Target.SAME, "idempotent: no event");
        }
        for (MachineState s : List.of(INSTALLED, ACTIVE, DRAINING)) {
            b.t(s, REPORT_ACTIVATION, ALWAYS, List.of(ActivationReported.class), Target.SAME, s == INSTALLED
                    ? "nix-agent report; a healthy one also activates (row activate: MachineActivated)"
                    : "nix-agent report; one for another deployment or generation is recorded as stale");
        }
        // --- operations
        b.t(ACTIVE, DRAIN, ALWAYS, List.of(DrainStarted.class), to(DRAINING), "");
        b.t(DRAINING, COMPLETE_DRAIN, NOT_DRAINED, List.of(DrainCompleted.class), to(DRAINING), "now drained");
        b.t(DRAINING, COMPLETE_DRAIN, DRAINED, List.of(), to(DRAINING), "idempotent: no event");
        b.t(DRAINING, UNDRAIN, ALWAYS, List.of(DrainCancelled.class), to(ACTIVE), "");
        b.t(DRAINING, REPROVISION, DRAINED, List.of(ReprovisionRequested.class), to(REPROVISIONING), "credentials rotated");
        b.t(INSTALLED, REPROVISION, ALWAYS, List.of(ReprovisionRequested.class), to(REPROVISIONING), "credentials rotated");
        b.t(FAILED, REPROVISION, ALWAYS, List.of(ReprovisionRequested.class), to(REPROVISIONING), "credentials rotated");
        b.t(ACTIVE, REPROVISION, FORCED, List.of(ReprovisionRequested.class), to(REPROVISIONING), "only with force");
        for (MachineState s : List.of(ACTIVE, DRAINING, INSTALLED, FAILED)) {
            b.t(s, LifecycleAction.RESCUE, ALWAYS, List.of(RescueRequested.class), to(MachineState.RESCUE), "remembers the state to return to");
        }
        b.t(MachineState.RESCUE, EXIT_RESCUE, ALWAYS, List.of(RescueExited.class), Target.RETURN_STATE, "");
        // the directive of a rescue or reprovision: the machine's nix-agent kexecs into the installer (docs/day2.md)
        for (MachineState s : List.of(MachineState.RESCUE, REPROVISIONING)) {
            b.t(s, ACKNOWLEDGE_DIRECTIVE, DIRECTIVE_PENDING, List.of(DirectiveAcknowledged.class), Target.SAME, "nix-agent: the installer is loaded, kexec next");
            b.t(s, ACKNOWLEDGE_DIRECTIVE, DIRECTIVE_FAILED, List.of(DirectiveAcknowledged.class), Target.SAME, "late, after a deadline: the machine goes after all");
            b.t(s, ACKNOWLEDGE_DIRECTIVE, DIRECTIVE_ACKNOWLEDGED, List.of(), Target.SAME, "idempotent: no event");
            b.t(s, FAIL_DIRECTIVE, DIRECTIVE_PENDING, List.of(DirectiveFailed.class), Target.SAME, "the agent cannot, or none answered in time: boot the installer image");
            b.t(s, FAIL_DIRECTIVE, DIRECTIVE_ACKNOWLEDGED, List.of(DirectiveFailed.class), Target.SAME, "acknowledged, but no installer booted in time");
            b.t(s, FAIL_DIRECTIVE, DIRECTIVE_OVERTAKEN, List.of(), Target.SAME, "a stale deadline: no event");
            b.t(s, FAIL_DIRECTIVE, DIRECTIVE_FAILED, List.of(), Target.SAME, "idempotent: no event");
        }
        for (MachineState s : MachineState.values()) {
            if (s != RETIRED) {
                b.t(s, MARK_FAILED, ALWAYS, List.of(MachineMarkedFailed.class), to(FAILED), "reason and principal recorded");
            }
        }
        b.t(FAILED, RECOVER, ALWAYS, List.of(MachineRecovered.class), Target.LAST_STABLE, "");
        for (MachineState s : List.of(DISCOVERED, INSPECTED, COMMISSIONED, FAILED)) {
            b.t(s, RETIRE, ALWAYS, List.of(MachineRetired.class), to(RETIRED), "credentials revoked, secrets shredded");
        }
        b.t(DRAINING, RETIRE, DRAINED, List.of(MachineRetired.class), to(RETIRED), "credentials revoked, secrets shredded");
        TABLE = List.copyOf(b.rows);
    }

    private Lifecycle() {
    }

    private static Target to(MachineState state) {
        return Target.to(state);
    }

    /** The rows for one (state, action) pair, in table order; {@code from == null} means "new machine". */
    public static List<Transition> rows(MachineState from, LifecycleAction action) {
        return TABLE.stream().filter(t -> t.from() == from && t.action() == action).toList();
    }

    /** The states an action is allowed from, in declaration order (the "(new)" row excluded). */
    public static List<MachineState> allowedFrom(LifecycleAction action) {
        Set<MachineState> states = EnumSet.noneOf(MachineState.class);
        TABLE.stream().filter(t -> t.action() == action && t.from() != null).forEach(t -> states.add(t.from()));
        return List.copyOf(states);
    }

    public static boolean allows(MachineState from, LifecycleAction action) {
        return !rows(from, action).isEmpty();
    }

    /**
     * Picks the transition for a command: the first row for (from, action) whose guard holds.
     *
     * @return the selected row
     * @throws Rejection when no row exists for the pair, or none of the rows' guards hold
     */
    public static Transition select(MachineState from, LifecycleAction action, Set<Condition> holding) {
        List<Transition> candidates = rows(from, action);
        if (candidates.isEmpty()) {
            throw new Rejection(false, allowedFrom(action), "");
        }
        return candidates.stream()
                .filter(t -> t.when() == ALWAYS || holding.contains(t.when()))
                .findFirst()
                .orElseThrow(() -> new Rejection(true, allowedFrom(action), "it requires that "
                        + candidates.stream().map(t -> t.when().description()).collect(Collectors.joining(" or "))));
    }

    /** Every (state, action) pair the table does not allow. */
    public static List<Pair> rejectedPairs() {
        List<Pair> pairs = new ArrayList<>();
        for (MachineState s : MachineState.values()) {
            for (LifecycleAction a : LifecycleAction.values()) {
                if (!allows(s, a)) {
                    pairs.add(new Pair(s, a));
                }
            }
        }
        return pairs;
    }

    public record Pair(MachineState state, LifecycleAction action) {
    }

    /** A command the table refuses; {@code guarded} tells a failed guard from a missing row. */
    public static final class Rejection extends RuntimeException {
        private final boolean guarded;
        private final List<MachineState> allowedFrom;

        Rejection(boolean guarded, List<MachineState> allowedFrom, String why) {
            super(why, null, false, false);
            this.guarded = guarded;
            this.allowedFrom = allowedFrom;
        }

        public boolean guarded() {
            return guarded;
        }

        public List<MachineState> allowedFrom() {
            return allowedFrom;
        }
    }

    /**
     * Why the current code would not have recorded {@code eventType} in a machine that was {@code from} (null: no
     * machine yet), leading to {@code to} (null for an event that changes no state), or empty when some row of the
     * table emits it so: what {@code deployer-ctl debug replay} says of each event of a history.
     */
    public static Optional<String> rejection(MachineState from, Class<?> eventType, MachineState to,
                                             MachineState lastStable, MachineState returnState) {
        List<Transition> rows = rowsRecording(from, eventType);
        String where = from == null ? "for a machine that does not exist yet" : "from " + from;
        if (rows.isEmpty()) {
            String actions = rowsFrom(from).stream()
                    .map(t -> t.action().wireName()).distinct().collect(Collectors.joining(", "));
            return Optional.of("no row of the lifecycle table records " + eventType.getSimpleName() + " " + where
                    + " (the actions allowed " + where + ": " + (actions.isEmpty() ? "none" : actions) + ")");
        }
        if (to == null) {
            return Optional.empty();
        }
        List<MachineState> targets = rows.stream().map(t -> t.to().resolve(from, lastStable, returnState)).distinct().toList();
        if (!targets.contains(to)) {
            return Optional.of(eventType.getSimpleName() + " " + where + " leads to " + targets + ", not to " + to
                    + " (rows: " + rows.stream().map(t -> t.action().wireName() + (t.when() == ALWAYS ? "" : " [" + t.when() + "]"))
                    .collect(Collectors.joining("; ")) + ")");
        }
        return Optional.empty();
    }

    /** The rows from {@code from} (null: the rows that create a machine). */
    public static List<Transition> rowsFrom(MachineState from) {
        return TABLE.stream().filter(t -> from == null ? t.createsMachine() : !t.createsMachine() && t.from() == from).toList();
    }

    /** The rows from {@code from} that record an event of {@code eventType}. */
    public static List<Transition> rowsRecording(MachineState from, Class<?> eventType) {
        return rowsFrom(from).stream().filter(t -> t.events().contains(eventType)).toList();
    }

    /** Renders the table as the Markdown that docs/lifecycle.md embeds (a test keeps them equal). */
    public static String markdownTable() {
        StringBuilder md = new StringBuilder();
        md.append("| from | action | when | events | to | note |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (Transition t : TABLE) {
            md.append("| ").append(t.createsMachine() ? "(new)" : t.from().name())
                    .append(" | ").append(t.action().wireName())
                    .append(" | ").append(t.when() == ALWAYS ? "" : t.when().description())
                    .append(" | ").append(t.events().isEmpty() ? "(none)" : String.join(" + ", t.eventNames()))
                    .append(" | ").append(t.to())
                    .append(" | ").append(t.note())
                    .append(" |\n");
        }
        return md.toString();
    }

    /** Renders the state diagram (Mermaid) that docs/lifecycle.md embeds; self-loops are left out. */
    public static String mermaidDiagram() {
        StringBuilder mm = new StringBuilder("stateDiagram-v2\n");
        Set<String> edges = new java.util.LinkedHashSet<>();
        for (Transition t : TABLE) {
            if (t.action() == MARK_FAILED) {
                continue; // from every state: drawn once as a note instead of eleven arrows
            }
            for (MachineState target : t.to().possibleStates(t.from())) {
                if (target == t.from()) {
                    continue;
                }
                String from = t.createsMachine() ? "[*]" : t.from().name();
                edges.add("    " + from + " --> " + target.name() + " : " + t.action().wireName());
            }
        }
        edges.forEach(e -> mm.append(e).append('\n'));
        mm.append("    note right of FAILED : mark-failed reaches FAILED from every state but RETIRED\n");
        return mm.toString();
    }

    /** Conditions the aggregate can report, for documentation. */
    public static List<Condition> guards() {
        return Arrays.stream(Condition.values()).filter(c -> c != ALWAYS).toList();
    }

    private static final class Builder {
        private final List<Transition> rows = new ArrayList<>();

        void created(LifecycleAction action, List<Class<?>> events, MachineState to, String note) {
            rows.add(new Transition(null, action, ALWAYS, events, Target.to(to), note));
        }

        void t(MachineState from, LifecycleAction action, Condition when, List<Class<?>> events, Target to,
               String note) {
            rows.add(new Transition(from, action, when, events, to, note));
        }
    }
}
