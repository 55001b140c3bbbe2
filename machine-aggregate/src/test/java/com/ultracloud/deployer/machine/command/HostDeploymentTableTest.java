package com.ultracloud.deployer.machine.command;

import com.ultracloud.deployer.machine.api.MachineErrorCode;
import com.ultracloud.deployer.machine.api.deployment.DeploymentAction;
import com.ultracloud.deployer.machine.api.deployment.DeploymentState;
import com.ultracloud.deployer.machine.api.deployment.DeploymentStateChanged;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentError;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentException;
import com.ultracloud.deployer.machine.lifecycle.DeploymentCondition;
import com.ultracloud.deployer.machine.lifecycle.DeploymentLifecycle;
import com.ultracloud.deployer.machine.lifecycle.DeploymentTransition;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.ResultValidator;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeDiagnosingMatcher;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import static com.ultracloud.deployer.machine.command.DeploymentHistories.D;
import static com.ultracloud.deployer.machine.command.DeploymentHistories.command;
import static com.ultracloud.deployer.machine.command.DeploymentHistories.history;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host-deployment table as fixture tests generated from the one table: every row is exercised, and every
 * (state, action) pair without a row is refused naming the deployment, its state, the command and the states
 * the command is allowed from.
 */
class HostDeploymentTableTest {

    @TestFactory
    Stream<DynamicTest> everyRowOfTheTableEmitsItsEventsAndLeadsToItsTarget() {
        return DeploymentLifecycle.TABLE.stream().map(row -> DynamicTest.dynamicTest(describe(row), () -> exercise(row)));
    }

    @TestFactory
    Stream<DynamicTest> everyPairWithoutARowIsRefusedAsAnIllegalTransition() {
        return DeploymentLifecycle.rejectedPairs().stream().map(pair -> DynamicTest.dynamicTest(
                pair.state() + " refuses " + pair.action().wireName(), () ->
                        new AggregateTestFixture<>(HostDeployment.class)
                                .given(history(pair.state(), pair.action(), null))
                                .when(command(pair.action(), null))
                                .expectNoEvents()
                                .expectException(HostDeploymentException.class)
                                .expectException(refusal(MachineErrorCode.ILLEGAL_TRANSITION, pair.state(), pair.action(),
                                        DeploymentLifecycle.allowedFrom(pair.action())))));
    }

    @Test
    void theGeneratedTestsCoverEveryStateAndActionPair() {
        long rowPairs = DeploymentLifecycle.TABLE.stream().filter(t -> !t.createsDeployment())
                .map(t -> t.from() + "/" + t.action()).distinct().count();
        assertThat(rowPairs + DeploymentLifecycle.rejectedPairs().size())
                .isEqualTo((long) DeploymentState.values().length * DeploymentAction.values().length);
    }

    private static void exercise(DeploymentTransition row) {
        AggregateTestFixture<HostDeployment> fixture = new AggregateTestFixture<>(HostDeployment.class);
        ResultValidator<HostDeployment> result = row.createsDeployment()
                ? fixture.givenNoPriorActivity().when(command(row.action(), row.when()))
                : fixture.given(history(row.from(), row.action(), row.when())).when(command(row.action(), row.when()));
        result.expectSuccessfulHandlerExecution();
        if (row.events().isEmpty()) {
            result.expectNoEvents();
        } else {
            result.expectEventsMatching(eventsOfTypes(row.events(), row.to()));
        }
        result.expectResultMessagePayload(row.to());
        result.expectState(d -> assertThat(d.state()).as("state").isEqualTo(row.to()));
    }

    /** Exactly these event types, in order; the last state-changing one carries {@code target}. */
    static Matcher<List<EventMessage<?>>> eventsOfTypes(List<Class<?>> types, DeploymentState target) {
        return new TypeSafeDiagnosingMatcher<>() {
            @Override
            protected boolean matchesSafely(List<EventMessage<?>> events, Description mismatch) {
                List<Class<?>> actual = new ArrayList<>();
                events.forEach(e -> actual.add(e.getPayloadType()));
                if (!actual.equals(types)) {
                    mismatch.appendText("events were ").appendValue(actual.stream().map(Class::getSimpleName).toList());
                    return false;
                }
                DeploymentState last = null;
                for (EventMessage<?> e : events) {
                    if (e.getPayload() instanceof DeploymentStateChanged s) {
                        last = s.state();
                    }
                }
                if (last != null && last != target) {
                    mismatch.appendText("the last state change is to ").appendValue(last);
                    return false;
                }
                return true;
            }

            @Override
            public void describeTo(Description d) {
                d.appendText("events ").appendValue(types.stream().map(Class::getSimpleName).toList())
                        .appendText(" leading to ").appendValue(target);
            }
        };
    }

    /** A refusal with this code naming the deployment, its state, the command and, for illegal transitions, the allowed states. */
    static Matcher<Object> refusal(MachineErrorCode code, DeploymentState state, DeploymentAction action,
                                   List<DeploymentState> allowedFrom, String... fragments) {
        return new TypeSafeDiagnosingMatcher<>() {
            @Override
            protected boolean matchesSafely(Object item, Description mismatch) {
                if (!(item instanceof HostDeploymentException e)) {
                    mismatch.appendText("was ").appendValue(item);
                    return false;
                }
                HostDeploymentError error = e.error();
                List<String> wrong = new ArrayList<>();
                if (error.code() != code) wrong.add("code " + error.code());
                if (!Objects.equals(error.deploymentId(), D.toString())) wrong.add("deploymentId " + error.deploymentId());
                if (error.currentState() != state) wrong.add("currentState " + error.currentState());
                if (!Objects.equals(error.command(), action.wireName())) wrong.add("command " + error.command());
                if (!Objects.equals(error.allowedFrom(), allowedFrom)) wrong.add("allowedFrom " + error.allowedFrom());
                List<String> named = new ArrayList<>(List.of(D.toString(), action.wireName()));
                if (code != MachineErrorCode.INVALID_COMMAND && state != null) named.add(state.name());
                if (allowedFrom != null) allowedFrom.forEach(s -> named.add(s.name()));
                named.addAll(List.of(fragments));
                String detail = error.detail() == null ? "" : error.detail();
                named.stream().filter(n -> !detail.contains(n)).forEach(n -> wrong.add("detail does not name " + n));
                if (!wrong.isEmpty()) {
                    mismatch.appendText(String.join("; ", wrong)).appendText(" in ").appendValue(error);
                    return false;
                }
                return true;
            }

            @Override
            public void describeTo(Description d) {
                d.appendText("HostDeploymentException ").appendValue(code).appendText(" for ").appendValue(action.wireName())
                        .appendText(" in ").appendValue(state);
            }
        };
    }

    private static String describe(DeploymentTransition row) {
        return (row.createsDeployment() ? "(new)" : row.from().name()) + " --" + row.action().wireName()
                + (row.when() == DeploymentCondition.ALWAYS ? "" : " [" + row.when() + "]")
                + "--> " + row.to() + " " + row.eventNames();
    }
}
