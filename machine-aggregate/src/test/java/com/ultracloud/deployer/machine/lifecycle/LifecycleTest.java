package com.ultracloud.deployer.machine.lifecycle;

import com.ultracloud.deployer.machine.api.LifecycleAction;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.event.StateChanged;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static com.ultracloud.deployer.machine.api.LifecycleAction.*;
import static com.ultracloud.deployer.machine.api.MachineState.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lifecycle table as data: plain checks of its shape (STYLE §3). */
class LifecycleTest {

    @Test
    void everyStateIsReachableFromNew() {
        Set<MachineState> reached = EnumSet.noneOf(MachineState.class);
        Deque<MachineState> todo = new ArrayDeque<>();
        Lifecycle.TABLE.stream().filter(Transition::createsMachine)
                .forEach(t -> t.to().possibleStates(null).forEach(todo::add));
        while (!todo.isEmpty()) {
            MachineState s = todo.pop();
            if (reached.add(s)) {
                Lifecycle.TABLE.stream().filter(t -> t.from() == s)
                        .forEach(t -> t.to().possibleStates(s).forEach(todo::add));
            }
        }
        assertThat(reached).containsExactlyInAnyOrder(MachineState.values());
    }

    @Test
    void everyTransientStateHasAnExitToFailed() {
        for (MachineState s : MachineState.TRANSIENT) {
            assertThat(Lifecycle.TABLE).as("exit of %s to FAILED", s)
                    .anyMatch(t -> t.from() == s && t.to().possibleStates(s).contains(FAILED));
        }
    }

    @Test
    void installStatesFailOnTheirOwnWithoutAnOperator() {
        // a stuck install must not wait for a human: a deadline (or the installer) fails it
        for (MachineState s : List.of(INSTALL_PENDING, INSTALLING)) {
            assertThat(Lifecycle.TABLE).as("automatic exit of %s to FAILED", s)
                    .anyMatch(t -> t.from() == s && t.action() != MARK_FAILED && t.to().possibleStates(s).contains(FAILED));
        }
    }

    @Test
    void noTwoRowsShareStateActionAndCondition() {
        Set<String> seen = new HashSet<>();
        for (Transition t : Lifecycle.TABLE) {
            assertThat(seen.add(t.from() + "/" + t.action() + "/" + t.when())).as("duplicate row %s", t).isTrue();
        }
    }

    @Test
    void aRowThatAlwaysAppliesIsTheOnlyRowOfItsPair() {
        for (Transition t : Lifecycle.TABLE) {
            if (t.when() == Condition.ALWAYS) {
                assertThat(Lifecycle.rows(t.from(), t.action())).as("rows of %s %s", t.from(), t.action())
                        .containsExactly(t);
            }
        }
    }

    @Test
    void everyRowsTargetIsAState() {
        for (Transition t : Lifecycle.TABLE) {
            assertThat(t.to()).as("target of %s", t).isNotNull();
            assertThat(t.to().possibleStates(t.from())).as("states %s leads to", t).isNotEmpty();
            if (!t.to().isFixed()) {
                assertThat(t.from()).as("a relative target needs a from state: %s", t).isNotNull();
            }
        }
    }

    @Test
    void recoverLeadsOnlyToStableStates() {
        Lifecycle.rows(FAILED, RECOVER).forEach(t ->
                assertThat(MachineState.STABLE).containsAll(t.to().possibleStates(FAILED)));
    }

    @Test
    void exitRescueReturnsExactlyToTheStatesRescueIsAllowedFrom() {
        assertThat(Target.RESCUE_RETURN_STATES)
                .containsExactlyInAnyOrderElementsOf(Lifecycle.allowedFrom(LifecycleAction.RESCUE));
    }

    @Test
    void rowsThatChangeStateEmitAStateChangedEvent() {
        for (Transition t : Lifecycle.TABLE) {
            boolean moves = t.createsMachine()
                    || t.to() != Target.SAME && !t.to().possibleStates(t.from()).equals(Set.of(t.from()));
            if (moves) {
                assertThat(t.events()).as("events of %s", t).anyMatch(StateChanged.class::isAssignableFrom);
            }
        }
    }

    @Test
    void onlyDiscoverCreatesAMachine() {
        assertThat(Lifecycle.TABLE.stream().filter(Transition::createsMachine).map(Transition::action))
                .containsExactly(DISCOVER);
    }

    @Test
    void aRetiredMachineAcceptsOnlyDiscover() {
        assertThat(Lifecycle.TABLE.stream().filter(t -> t.from() == RETIRED).map(Transition::action))
                .containsOnly(DISCOVER);
    }

    @Test
    void allowedFromListsExactlyTheStatesWithARowInDeclarationOrder() {
        for (LifecycleAction a : LifecycleAction.values()) {
            List<MachineState> expected = java.util.Arrays.stream(MachineState.values())
                    .filter(s -> !Lifecycle.rows(s, a).isEmpty()).toList();
            assertThat(Lifecycle.allowedFrom(a)).as("allowedFrom(%s)", a).isEqualTo(expected).isNotEmpty();
            for (MachineState s : MachineState.values()) {
                assertThat(Lifecycle.allows(s, a)).isEqualTo(expected.contains(s));
            }
        }
    }

    @Test
    void rejectedPairsAreExactlyThePairsWithoutARow() {
        Set<Lifecycle.Pair> rejected = new HashSet<>(Lifecycle.rejectedPairs());
        assertThat(rejected).hasSameSizeAs(Lifecycle.rejectedPairs());
        for (MachineState s : MachineState.values()) {
            for (LifecycleAction a : LifecycleAction.values()) {
                assertThat(rejected.contains(new Lifecycle.Pair(s, a))).as("%s %s", s, a)
                        .isEqualTo(!Lifecycle.allowedFrom(a).contains(s));
            }
        }
        assertThat(Lifecycle.rejectedPairs()).doesNotContain(new Lifecycle.Pair(ACTIVE, DISCOVER))
                .contains(new Lifecycle.Pair(RETIRED, MARK_FAILED), new Lifecycle.Pair(ACTIVE, RETIRE));
    }

    @Test
    void selectPicksTheRowWhoseGuardHolds() {
        assertThat(Lifecycle.select(DRAINING, COMPLETE_DRAIN, EnumSet.of(Condition.DRAINED)).events()).isEmpty();
        assertThat(Lifecycle.select(INSTALLING, FAIL_INSTALL, EnumSet.of(Condition.ATTEMPTS_USED_UP)).to()
                .possibleStates(INSTALLING)).containsExactly(FAILED);
    }

    @Test
    void selectTellsAFailedGuardFromAMissingRow() {
        assertThatThrownBy(() -> Lifecycle.select(ACTIVE, REPROVISION, EnumSet.of(Condition.NOT_DRAINED)))
                .isInstanceOfSatisfying(Lifecycle.Rejection.class, r -> {
                    assertThat(r.guarded()).isTrue();
                    assertThat(r.getMessage()).contains(Condition.FORCED.description());
                });
        assertThatThrownBy(() -> Lifecycle.select(ACTIVE, RETIRE, EnumSet.noneOf(Condition.class)))
                .isInstanceOfSatisfying(Lifecycle.Rejection.class, r -> {
                    assertThat(r.guarded()).isFalse();
                    assertThat(r.allowedFrom()).containsExactly(DISCOVERED, INSPECTED, COMMISSIONED, DRAINING, FAILED);
                });
    }

    @Test
    void theRenderingsFollowDeclarationOrder() {
        assertThat(Lifecycle.markdownTable()).hasLineCount(Lifecycle.TABLE.size() + 2);
        assertThat(Lifecycle.mermaidDiagram()).startsWith("stateDiagram-v2\n")
                .contains("RESCUE --> INSTALLED : exit-rescue\n    RESCUE --> ACTIVE : exit-rescue\n"
                        + "    RESCUE --> DRAINING : exit-rescue\n    RESCUE --> FAILED : exit-rescue\n");
    }
}
