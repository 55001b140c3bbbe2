package com.ultracloud.deployer.machine.lifecycle;

import com.ultracloud.deployer.machine.api.deployment.DeploymentAction;
import com.ultracloud.deployer.machine.api.deployment.DeploymentState;
import com.ultracloud.deployer.machine.api.deployment.DeploymentStateChanged;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static com.ultracloud.deployer.machine.api.deployment.DeploymentAction.*;
import static com.ultracloud.deployer.machine.api.deployment.DeploymentState.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The host-deployment table as data: plain checks of its shape, and docs/rollout.md kept equal to it. */
class DeploymentLifecycleTest {

    static final Path DOC = Path.of("..", "docs", "rollout.md");
    static final String BEGIN = "<!-- deployment-table:begin -->";
    static final String END = "<!-- deployment-table:end -->";

    @Test
    void everyStateIsReachableFromCreation() {
        Set<DeploymentState> reached = EnumSet.noneOf(DeploymentState.class);
        Deque<DeploymentState> todo = new ArrayDeque<>(List.of(PENDING));
        while (!todo.isEmpty()) {
            DeploymentState s = todo.pop();
            if (reached.add(s)) {
                DeploymentLifecycle.TABLE.stream().filter(t -> t.from() == s).forEach(t -> todo.add(t.to()));
            }
        }
        assertThat(reached).containsExactlyInAnyOrder(DeploymentState.values());
    }

    @Test
    void finalStatesAcceptOnlyTheIdempotentCreate() {
        for (DeploymentState s : DeploymentState.FINAL) {
            assertThat(DeploymentLifecycle.TABLE.stream().filter(t -> t.from() == s))
                    .as("rows from %s", s).allSatisfy(t -> {
                        assertThat(t.action()).isEqualTo(CREATE);
                        assertThat(t.events()).isEmpty();
                        assertThat(t.to()).isEqualTo(s);
                    });
        }
    }

    @Test
    void everyUnfinishedStateCanBeAbortedAndRecordsOutcomesOnlyOnceStarted() {
        assertThat(DeploymentLifecycle.allowedFrom(ABORT)).containsExactlyElementsOf(DeploymentState.UNFINISHED);
        assertThat(DeploymentLifecycle.allowedFrom(RECORD_ROLLED_OUT)).containsExactly(IN_PROGRESS, PAUSED);
        assertThat(DeploymentLifecycle.allowedFrom(RECORD_ROLLOUT_FAILED)).containsExactly(IN_PROGRESS, PAUSED);
        assertThat(DeploymentLifecycle.allowedFrom(SUPERSEDE)).containsExactlyElementsOf(DeploymentState.UNFINISHED);
    }

    @Test
    void noTwoRowsShareStateActionAndCondition() {
        Set<String> seen = new HashSet<>();
        for (DeploymentTransition t : DeploymentLifecycle.TABLE) {
            assertThat(seen.add(t.from() + "/" + t.action() + "/" + t.when())).as("duplicate row %s", t).isTrue();
        }
    }

    @Test
    void anAlwaysRowIsTheLastRowOfItsPair() {
        for (DeploymentTransition t : DeploymentLifecycle.TABLE) {
            if (t.when() == DeploymentCondition.ALWAYS) {
                List<DeploymentTransition> rows = DeploymentLifecycle.rows(t.from(), t.action());
                assertThat(rows.get(rows.size() - 1)).as("rows of %s %s", t.from(), t.action()).isEqualTo(t);
            }
        }
    }

    @Test
    void rowsThatChangeStateEndWithAStateChangedEvent() {
        for (DeploymentTransition t : DeploymentLifecycle.TABLE) {
            if (t.createsDeployment() || t.to() != t.from()) {
                assertThat(t.events()).as("events of %s", t).isNotEmpty();
                assertThat(DeploymentStateChanged.class.isAssignableFrom(t.events().get(t.events().size() - 1)))
                        .as("last event of %s changes the state", t).isTrue();
            }
        }
    }

    @Test
    void onlyPauseResumeAndAbortAreOperatorVerbs() {
        assertThat(List.of(DeploymentAction.values()).stream().flatMap(a -> a.apiName().stream()))
                .containsExactly("pause", "resume", "abort");
        assertThat(DeploymentAction.fromApiName("abort")).contains(ABORT);
    }

    @Test
    void selectTellsAFailedGuardFromAMissingRow() {
        assertThatThrownBy(() -> DeploymentLifecycle.select(SUCCEEDED, PAUSE, Set.of()))
                .isInstanceOfSatisfying(DeploymentLifecycle.Rejection.class, r -> {
                    assertThat(r.guarded()).isFalse();
                    assertThat(r.allowedFrom()).containsExactly(IN_PROGRESS);
                });
        assertThatThrownBy(() -> DeploymentLifecycle.select(IN_PROGRESS, RECORD_ROLLED_OUT, Set.of()))
                .isInstanceOfSatisfying(DeploymentLifecycle.Rejection.class, r -> assertThat(r.guarded()).isTrue());
        assertThat(DeploymentLifecycle.select(IN_PROGRESS, RECORD_ROLLOUT_FAILED,
                EnumSet.of(DeploymentCondition.THRESHOLD_REACHED)).to()).isEqualTo(FAILED);
    }

    @Test
    void docsRolloutEmbedsTheTable() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int from = doc.indexOf(BEGIN);
        int to = doc.indexOf(END);
        assertThat(from).as("marker %s in %s", BEGIN, DOC).isNotNegative();
        assertThat(to).as("marker %s after %s", END, BEGIN).isGreaterThan(from);
        String rendered = "\n" + DeploymentLifecycle.markdownTable();
        if (Boolean.getBoolean("rollout.writeDocs")) {
            Files.writeString(DOC, doc.substring(0, from + BEGIN.length()) + rendered + doc.substring(to),
                    StandardCharsets.UTF_8);
            return;
        }
        assertThat(doc.substring(from + BEGIN.length(), to))
                .as("the table in %s; regenerate with -Drollout.writeDocs=true", DOC).isEqualTo(rendered);
    }
}
