package com.ultracloud.deployer.projection.inventory;

import com.ultracloud.deployer.machine.api.event.ActivationReported;
import com.ultracloud.deployer.machine.api.event.DesiredSystemSet;
import com.ultracloud.deployer.machine.api.rollout.RolloutStatus;
import com.ultracloud.deployer.machine.api.DirectiveKinds;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.event.*;
import com.ultracloud.deployer.protocol.MachineInventory;
import com.ultracloud.deployer.projection.inventory.MachineDetail.*;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Folds a machine's events, one at a time, into its {@link MachineDetail}. Pure: the inventory
 * projection, the action responses and "state as of event N" all use it, so they cannot disagree.
 */
public final class MachineDetailFold {

    private MachineDetailFold() {
    }

    /** Folds a whole history (events in sequence order). */
    public static MachineDetail fold(List<FoldableEvent> events) {
        MachineDetail detail = null;
        for (FoldableEvent e : events) {
            detail = apply(detail, e.payload(), e.sequence(), e.timestamp());
        }
        return detail;
    }

    /** An event with the envelope facts the fold needs. */
    public record FoldableEvent(Object payload, long sequence, Instant timestamp) {
    }

    /**
     * The detail after one more event; {@code before} is null for the first event. Payloads that are
     * not machine events leave the detail unchanged.
     */
    public static MachineDetail apply(MachineDetail before, Object payload, long sequence, Instant at) {
        if (!(payload instanceof MachineEvent event)) {
            return before;
        }
        Draft d = before == null ? new Draft(event.machineId().toString(), at) : new Draft(before);
        if (event instanceof MachineDiscovered e) {
            d.reset(e, at);
        } else if (event instanceof InventoryRefreshed e) {
            d.hardware = e.facts();
            d.factsDigest = e.factsDigest();
            d.seen(at, "installer");
        } else if (event instanceof InspectionInvalidated e) {
            d.inspection = new Inspection("invalidated", List.of("the hardware changed while the install was pending: "
                    + String.join(", ", e.changed())), at);
            Install i = d.installOrEmpty();
            d.install = new Install(i.attempt(), i.attemptLimit(), null, null, null, null, null,
                    "called off: the hardware changed (" + String.join(", ", e.changed()) + ")", "hardware-changed", at);
            d.installer = null;
        } else if (event instanceof InstallerKeyBound e) {
            d.installer = new InstallerKey(e.keyFingerprint(), at, null, null);
            d.seen(at, "installer");
        } else if (event instanceof InstallerRebindRequested e) {
            d.installer = new InstallerKey(e.currentKeyFingerprint(), d.installer == null ? null : d.installer.boundAt(),
                    e.keyFingerprint(), at);
            d.seen(at, "installer");
        } else if (event instanceof InstallerRebound e) {
            d.installer = new InstallerKey(e.keyFingerprint(), at, null, null);
        } else if (event instanceof UnexpectedInstallerBoot) {
            d.unexpectedInstallerBoots++;
            d.seen(at, "installer");
        } else if (event instanceof RescueBooted) {
            d.seen(at, "installer");
            d.directiveBooted(at);
            d.rescue = new Rescue("booted", List.of(), d.rescue == null ? null : d.rescue.requestedAt(), null);
        } else if (event instanceof RescueReady e) {
            d.seen(at, "installer");
            d.rescue = new Rescue("ready", e.addresses(), d.rescue == null ? null : d.rescue.requestedAt(), at);
        } else if (event instanceof MachineInspected) {
            d.inspection = new Inspection("passed", List.of(), at);
        } else if (event instanceof InspectionFailed e) {
            d.inspection = new Inspection("failed", e.unmet(), at);
            d.lastFailure = new Failure("inspection failed: " + String.join("; ", e.unmet()), "inspection",
                    d.state, null, at);
        } else if (event instanceof NodeAssigned e) {
            d.hostname = e.assignment().hostname();
            d.nodeId = e.assignment().nodeId();
            d.nodeClass = e.assignment().nodeClass();
            d.pool = e.assignment().pool();
            d.labels = e.assignment().labels();
            d.assignment = new Assignment(e.assignment().matchedRule(), e.assignment().intentGeneration());
        } else if (event instanceof InstallRequested e) {
            d.directiveBooted(at);
            d.install = new Install(0, e.attemptLimit(), null, null, null, null, null, null, "requested", at);
            d.installer = null;
        } else if (event instanceof InstallPlanIssued e) {
            Install i = d.installOrEmpty();
            d.install = new Install(i.attempt(), i.attemptLimit(), e.plan().planId(), e.plan().installProfile(),
                    e.plan().rootDevicePath(), i.step(), i.percent(), i.message(), "plan-issued", at);
        } else if (event instanceof InstallStarted e) {
            Install i = d.installOrEmpty();
            d.install = new Install(e.attempt(), i.attemptLimit(), e.planId(), i.installProfile(), i.rootDevice(),
                    "started", 0, null, "installing", at);
            d.seen(at, "installer");
        } else if (event instanceof InstallProgressReported e) {
            Install i = d.installOrEmpty();
            d.install = new Install(i.attempt(), i.attemptLimit(), i.planId(), i.installProfile(), i.rootDevice(),
                    e.step(), e.percent(), e.message(), "installing", at);
            d.seen(at, "installer");
        } else if (event instanceof InstallSucceeded) {
            Install i = d.installOrEmpty();
            d.install = new Install(i.attempt(), i.attemptLimit(), i.planId(), i.installProfile(), i.rootDevice(),
                    "done", 100, i.message(), "succeeded", at);
            d.seen(at, "installer");
        } else if (event instanceof InstallFailed e) {
            Install i = d.installOrEmpty();
            d.install = new Install(e.attempt(), e.attemptLimit(), i.planId(), i.installProfile(), i.rootDevice(),
                    i.step(), i.percent(), e.reason(), e.state() == MachineState.FAILED ? "failed" : "retrying", at);
            d.lastFailure = new Failure("install failed: " + e.reason(), "installer", d.state, e.logTail(), at);
            d.seen(at, "installer");
        } else if (event instanceof InstallAttemptAbandoned e) {
            Install i = d.installOrEmpty();
            d.install = new Install(e.attempt(), e.attemptLimit(), i.planId(), i.installProfile(), i.rootDevice(),
                    i.step(), i.percent(), "installer rebooted mid-install",
                    e.state() == MachineState.FAILED ? "failed" : "retrying", at);
            if (e.state() == MachineState.FAILED) {
                d.lastFailure = new Failure("installer rebooted mid-install; no attempt left", "installer", d.state, null, at);
            }
            d.seen(at, "installer");
        } else if (event instanceof InstallPlanFailed e) {
            Install i = d.installOrEmpty();
            d.install = new Install(i.attempt(), i.attemptLimit(), null, null, null, i.step(), i.percent(), e.reason(),
                    "plan-failed", at);
            d.lastFailure = new Failure("no install plan: " + e.reason()
                    + (e.problems().isEmpty() ? "" : " (" + String.join("; ", e.problems()) + ")"), "install-saga",
                    d.state, null, at);
        } else if (event instanceof InstallTimedOut e) {
            d.lastFailure = new Failure("install timed out in " + e.phase(), "deadline", d.state, null, at);
        } else if (event instanceof DesiredSystemSet e) {
            Rollout r = d.rollout;
            d.rollout = new Rollout(e.system().describe(), r.runningSystem(), wire(RolloutStatus.PENDING), at,
                    e.deploymentId().toString(), e.generation(), e.system(), e.activation(), r.lastActivation());
        } else if (event instanceof ActivationReported e) {
            d.rollout = RolloutFold.reported(d.rollout, e, at);
            d.health = RolloutFold.health(d.health, e, at);
            d.seen(at, "nix-agent");
        } else if (event instanceof MachineActivated e) {
            // the first healthy report (ActivationReported, just before) already set the rollout field
            Rollout r = d.rollout;
            d.rollout = new Rollout(r.desiredSystem(), e.runningSystem() != null ? e.runningSystem() : r.runningSystem(),
                    r.status(), at, r.deploymentId(), r.generation(), r.target(), r.activation(), r.lastActivation());
            d.health = new Health("healthy", "first boot healthy", at);
            d.seen(at, "nix-agent");
        } else if (event instanceof DrainStarted || event instanceof DrainCancelled) {
            d.drained = false;
        } else if (event instanceof DrainCompleted) {
            d.drained = true;
        } else if (event instanceof ReprovisionRequested e) {
            d.directiveRequested(e.directiveId(), DirectiveKinds.REPROVISION, at);
            d.drained = false;
            d.install = null;
            d.rollout = Rollout.NONE;
            d.health = Health.UNKNOWN;
        } else if (event instanceof RescueRequested e) {
            d.returnState = e.returnState();
            d.rescue = new Rescue("requested", List.of(), at, null);
            d.directiveRequested(e.directiveId(), DirectiveKinds.RESCUE, at);
        } else if (event instanceof RescueExited) {
            d.returnState = null;
            d.rescue = null;
        } else if (event instanceof DirectiveAcknowledged) {
            Directive x = d.directive;
            d.directive = new Directive(x.id(), x.kind(), Directive.ACKNOWLEDGED, null, null, x.requestedAt(), at, at);
            d.seen(at, "nix-agent");
        } else if (event instanceof DirectiveFailed e) {
            Directive x = d.directive;
            d.directive = new Directive(x.id(), x.kind(), Directive.UNREACHABLE, e.reason(), "boot the machine from the "
                    + "installer image (USB or virtual media): its discover carries the " + x.kind() + " out",
                    x.requestedAt(), x.acknowledgedAt(), at);
        } else if (event instanceof MachineMarkedFailed e) {
            d.lastFailure = new Failure(e.reason(), e.by(), e.previousState(), null, at);
        } else if (event instanceof MachineRetired) {
            d.drained = false;
            d.power = Power.UNKNOWN;
            d.health = Health.UNKNOWN;
            d.rollout = Rollout.NONE;
        }
        if (event instanceof StateChanged e) {
            d.state = e.state();
            if (d.installer != null && d.installer.awaitingApproval() != null && d.state != MachineState.INSTALL_PENDING) {
                d.installer = new InstallerKey(d.installer.keyFingerprint(), d.installer.boundAt(), null, null);
            }
            if (event instanceof ReprovisionRequested || event instanceof MachineRetired) {
                d.installer = null;
            }
        }
        d.lastEvent = event.getClass().getSimpleName();
        d.updatedAt = at;
        d.version = sequence;
        return d.build();
    }

    /** A rollout status as the API writes it: lower case, hyphenated ({@code rolled-back}). */
    static String wire(RolloutStatus status) {
        return status.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Mutable working copy; the detail itself stays an immutable record. */
    private static final class Draft {
        String machineId;
        MachineState state;
        long generation;
        boolean drained;
        String hostname;
        String nodeId;
        String nodeClass;
        String pool;
        Map<String, String> labels = Map.of();
        Assignment assignment;
        Power power = Power.UNKNOWN;
        Rollout rollout = Rollout.NONE;
        Health health = Health.UNKNOWN;
        Install install;
        Inspection inspection;
        Failure lastFailure;
        InstallerKey installer;
        MachineState returnState;
        Rescue rescue;
        Directive directive;
        MachineInventory hardware;
        String fingerprint;
        String factsDigest;
        int unexpectedInstallerBoots;
        Instant discoveredAt;
        Instant lastSeen;
        Instant updatedAt;
        String lastEvent;
        long version;

        Draft(String machineId, Instant at) {
            this.machineId = machineId;
            this.discoveredAt = at;
        }

        Draft(MachineDetail m) {
            machineId = m.machineId();
            state = m.state();
            generation = m.generation();
            drained = m.drained();
            hostname = m.hostname();
            nodeId = m.nodeId();
            nodeClass = m.nodeClass();
            pool = m.pool();
            labels = m.labels();
            assignment = m.assignment();
            power = m.power();
            rollout = m.rollout();
            health = m.health();
            install = m.install();
            inspection = m.inspection();
            lastFailure = m.lastFailure();
            installer = m.installer();
            returnState = m.returnState();
            rescue = m.rescue();
            directive = m.directive();
            hardware = m.hardware();
            fingerprint = m.fingerprint();
            factsDigest = m.factsDigest();
            unexpectedInstallerBoots = m.unexpectedInstallerBoots();
            discoveredAt = m.discoveredAt();
            lastSeen = m.lastSeen();
            updatedAt = m.updatedAt();
            lastEvent = m.lastEvent();
            version = m.version();
        }

        /** First discovery, or rediscovery after retirement: a new generation starts from scratch. */
        void reset(MachineDiscovered e, Instant at) {
            Draft fresh = new Draft(machineId, at);
            fresh.generation = e.generation();
            fresh.hardware = e.facts();
            fresh.fingerprint = e.fingerprint();
            fresh.factsDigest = e.factsDigest();
            copyFrom(fresh);
            seen(at, "installer");
        }

        private void copyFrom(Draft f) {
            state = f.state;
            generation = f.generation;
            drained = f.drained;
            hostname = f.hostname;
            nodeId = f.nodeId;
            nodeClass = f.nodeClass;
            pool = f.pool;
            labels = f.labels;
            assignment = f.assignment;
            power = f.power;
            rollout = f.rollout;
            health = f.health;
            install = f.install;
            inspection = f.inspection;
            lastFailure = f.lastFailure;
            installer = f.installer;
            returnState = f.returnState;
            rescue = f.rescue;
            directive = f.directive;
            hardware = f.hardware;
            fingerprint = f.fingerprint;
            factsDigest = f.factsDigest;
            unexpectedInstallerBoots = f.unexpectedInstallerBoots;
            discoveredAt = f.discoveredAt;
        }

        void seen(Instant at, String source) {
            lastSeen = at;
            power = new Power("on", source, at);
        }

        /** A rescue or reprovision: a new directive for the agent, or (none: no agent runs) no directive at all. */
        void directiveRequested(String id, String kind, Instant at) {
            directive = id == null ? null : new Directive(id, kind, Directive.PENDING, null, null, at, null, at);
        }

        /** An installer booted: the open directive is carried out (an unreachable one too, by the operator's boot). */
        void directiveBooted(Instant at) {
            if (directive != null && !Directive.BOOTED.equals(directive.status())) {
                directive = new Directive(directive.id(), directive.kind(), Directive.BOOTED, directive.reason(), null,
                        directive.requestedAt(), directive.acknowledgedAt(), at);
            }
        }

        Install installOrEmpty() {
            return install != null ? install : new Install(null, null, null, null, null, null, null, null, null, null);
        }

        MachineDetail build() {
            return new MachineDetail(machineId, state, generation, drained, hostname, nodeId, nodeClass, pool, labels,
                    assignment, power, rollout, health, install, inspection, lastFailure, installer, returnState, rescue, directive,
                    hardware, fingerprint, factsDigest, unexpectedInstallerBoots, discoveredAt, lastSeen, updatedAt, lastEvent,
                    version);
        }
    }
}
