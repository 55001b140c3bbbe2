package com.ultracloud.deployer.machine.lifecycle;

import com.ultracloud.deployer.machine.api.deployment.DeploymentAction;
import com.ultracloud.deployer.machine.api.deployment.DeploymentState;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentAborted;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentCreated;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentFailed;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentPaused;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentResumed;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentStarted;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentSucceeded;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentSuperseded;
import com.ultracloud.deployer.machine.api.deployment.MachineRolledOut;
import com.ultracloud.deployer.machine.api.deployment.MachineRolloutFailed;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static com.ultracloud.deployer.machine.api.deployment.DeploymentAction.*;
import static com.ultracloud.deployer.machine.api.deployment.DeploymentState.*;
import static com.ultracloud.deployer.machine.lifecycle.DeploymentCondition.*;

/** The host-deployment lifecycle (DESIGN §1 "host rollout"), as data, like {@link Lifecycle} for machines. */
public final class DeploymentLifecycle {

    /** Every transition; for one (state, action) the rows are in precedence order. */
    public static final List<DeploymentTransition> TABLE;

    static {
        List<DeploymentTransition> rows = new ArrayList<>();
        rows.add(new DeploymentTransition(null, CREATE, ALWAYS, List.of(HostDeploymentCreated.class), PENDING,
                "intent import or POST /api/v1/host-deployments"));
        for (DeploymentState s : DeploymentState.values()) {
            rows.add(new DeploymentTransition(s, CREATE, ALWAYS, List.of(), s,
                    "idempotent: the same spec again (a re-import), no event; another spec is a conflict"));
        }
        rows.add(new DeploymentTransition(PENDING, START, TARGETS_FOUND, List.of(HostDeploymentStarted.class), IN_PROGRESS,
                "rollout saga resolved the machines"));
        rows.add(new DeploymentTransition(PENDING, START, NO_TARGETS,
                List.of(HostDeploymentStarted.class, HostDeploymentSucceeded.class), SUCCEEDED,
                "nothing to do: every covered machine was skipped or superseded"));
        rows.add(new DeploymentTransition(IN_PROGRESS, PAUSE, ALWAYS, List.of(HostDeploymentPaused.class), PAUSED,
                "no new batch; in-flight machines finish"));
        rows.add(new DeploymentTransition(PAUSED, RESUME, ALWAYS, List.of(HostDeploymentResumed.class), IN_PROGRESS, ""));
        for (DeploymentState s : List.of(PENDING, IN_PROGRESS, PAUSED)) {
            rows.add(new DeploymentTransition(s, ABORT, ALWAYS, List.of(HostDeploymentAborted.class), ABORTED,
                    "machines left as they are"));
        }
        for (DeploymentState s : List.of(IN_PROGRESS, PAUSED)) {
            rows.add(new DeploymentTransition(s, RECORD_ROLLED_OUT, ALREADY_RECORDED, List.of(), s, "idempotent: no event"));
            rows.add(new DeploymentTransition(s, RECORD_ROLLED_OUT, LAST_MACHINE,
                    List.of(MachineRolledOut.class, HostDeploymentSucceeded.class), SUCCEEDED, "the last machine"));
            rows.add(new DeploymentTransition(s, RECORD_ROLLED_OUT, MACHINES_REMAIN, List.of(MachineRolledOut.class), s, ""));
            rows.add(new DeploymentTransition(s, RECORD_ROLLOUT_FAILED, ALREADY_RECORDED, List.of(), s, "idempotent: no event"));
            rows.add(new DeploymentTransition(s, RECORD_ROLLOUT_FAILED, THRESHOLD_REACHED,
                    List.of(MachineRolloutFailed.class, HostDeploymentFailed.class), FAILED,
                    "the rest is left untouched"));
            rows.add(new DeploymentTransition(s, RECORD_ROLLOUT_FAILED, LAST_MACHINE,
                    List.of(MachineRolloutFailed.class, HostDeploymentSucceeded.class), SUCCEEDED,
                    "the last machine, below the threshold"));
            rows.add(new DeploymentTransition(s, RECORD_ROLLOUT_FAILED, MACHINES_REMAIN, List.of(MachineRolloutFailed.class), s,
                    "counts toward the threshold"));
        }
        rows.add(new DeploymentTransition(PENDING, SUPERSEDE, NOTHING_COVERED, List.of(), PENDING, "idempotent: no event"));
        rows.add(new DeploymentTransition(PENDING, SUPERSEDE, ALWAYS, List.of(HostDeploymentSuperseded.class), PENDING,
                "the machines are left out when it starts"));
        for (DeploymentState s : List.of(IN_PROGRESS, PAUSED)) {
            rows.add(new DeploymentTransition(s, SUPERSEDE, NOTHING_COVERED, List.of(), s, "idempotent: no event"));
            rows.add(new DeploymentTransition(s, SUPERSEDE, LAST_MACHINE,
                    List.of(HostDeploymentSuperseded.class, HostDeploymentSucceeded.class), SUCCEEDED,
                    "the newer deployment took every machine left"));
            rows.add(new DeploymentTransition(s, SUPERSEDE, MACHINES_REMAIN, List.of(HostDeploymentSuperseded.class), s,
                    "queued and in-flight machines it covers are dropped"));
        }
        TABLE = List.copyOf(rows);
    }

    private DeploymentLifecycle() {
    }

    public static List<DeploymentTransition> rows(DeploymentState from, DeploymentAction action) {
        return TABLE.stream().filter(t -> t.from() == from && t.action() == action).toList();
    }

    /** The states an action is allowed from, in declaration order ("not created" excluded). */
    public static List<DeploymentState> allowedFrom(DeploymentAction action) {
        Set<DeploymentState> states = EnumSet.noneOf(DeploymentState.class);
        TABLE.stream().filter(t -> t.action() == action && t.from() != null).forEach(t -> states.add(t.from()));
        return List.copyOf(states);
    }

    public static boolean allows(DeploymentState from, DeploymentAction action) {
        return !rows(from, action).isEmpty();
    }

    /**
     * The row for a command: the first for (from, action) whose guard holds ({@code ALWAYS} always holds).
     *
     * @throws Rejection when the pair has no row, or no row's guard holds
     */
    public static DeploymentTransition select(DeploymentState from, DeploymentAction action,
                                              Set<DeploymentCondition> holding) {
        List<DeploymentTransition> candidates = rows(from, action);
        if (candidates.isEmpty()) {
            throw new Rejection(false, allowedFrom(action), "");
        }
        return candidates.stream()
                .filter(t -> t.when() == ALWAYS || holding.contains(t.when()))
                .findFirst()
                .orElseThrow(() -> new Rejection(true, allowedFrom(action), "it requires that "
                        + candidates.stream().map(t -> t.when().description()).collect(Collectors.joining(" or "))));
    }

    /** Every (state, action) pair without a row. */
    public static List<Pair> rejectedPairs() {
        List<Pair> pairs = new ArrayList<>();
        for (DeploymentState s : DeploymentState.values()) {
            for (DeploymentAction a : DeploymentAction.values()) {
                if (!allows(s, a)) {
                    pairs.add(new Pair(s, a));
                }
            }
        }
        return pairs;
    }

    public record Pair(DeploymentState state, DeploymentAction action) {
    }

    /** A command the table refuses; {@code guarded} tells a failed guard from a missing row. */
    public static final class Rejection extends RuntimeException {
        private final boolean guarded;
        private final List<DeploymentState> allowedFrom;

        Rejection(boolean guarded, List<DeploymentState> allowedFrom, String why) {
            super(why, null, false, false);
            this.guarded = guarded;
            this.allowedFrom = allowedFrom;
        }

        public boolean guarded() {
            return guarded;
        }

        public List<DeploymentState> allowedFrom() {
            return allowedFrom;
        }
    }

    /** The table as Markdown, as docs/rollout.md embeds it (a test keeps them equal). */
    public static String markdownTable() {
        StringBuilder md = new StringBuilder();
        md.append("| from | action | when | events | to | note |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (DeploymentTransition t : TABLE) {
            md.append("| ").append(t.createsDeployment() ? "(new)" : t.from().name())
                    .append(" | ").append(t.action().wireName())
                    .append(" | ").append(t.when() == ALWAYS ? "" : t.when().description())
                    .append(" | ").append(t.events().isEmpty() ? "(none)" : String.join(" + ", t.eventNames()))
                    .append(" | ").append(t.to().name())
                    .append(" | ").append(t.note())
                    .append(" |\n");
        }
        return md.toString();
    }
}
