package com.ultracloud.deployer.machine.command;

import com.ultracloud.deployer.machine.api.MachineErrorCode;
import com.ultracloud.deployer.machine.api.MachineException;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.lifecycle.Lifecycle;
import com.ultracloud.deployer.machine.lifecycle.Target;
import com.ultracloud.deployer.machine.lifecycle.Transition;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.ResultValidator;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static com.ultracloud.deployer.machine.command.MachineHistories.ID;
import static com.ultracloud.deployer.machine.command.MachineHistories.command;
import static com.ultracloud.deployer.machine.command.MachineHistories.scenario;
import static com.ultracloud.deployer.machine.command.MachineMatchers.eventsOfTypes;
import static com.ultracloud.deployer.machine.command.MachineMatchers.refusal;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN §3 as fixture tests generated from the one table: every row is exercised, and every
 * (state, action) pair without a row is refused.
 */
class MachineLifecycleTableTest {

    @TestFactory
    Stream<DynamicTest> everyRowOfTheTableEmitsItsEventsAndLeadsToItsTarget() {
        return Lifecycle.TABLE.stream().map(row -> DynamicTest.dynamicTest(describe(row), () -> exercise(row)));
    }

    @TestFactory
    Stream<DynamicTest> everyPairWithoutARowIsRefusedAsAnIllegalTransition() {
        return Lifecycle.rejectedPairs().stream().map(pair -> DynamicTest.dynamicTest(
                pair.state() + " refuses " + pair.action().wireName(), () -> {
                    MachineHistories.Scenario at = scenario(pair.state(), null);
                    new AggregateTestFixture<>(Machine.class).registerInjectableResource(new InMemoryNodeClaims())
                            .given(at.history())
                            .when(command(pair.action(), null))
                            .expectNoEvents()
                            .expectException(MachineException.class)
                            .expectException(refusal(MachineErrorCode.ILLEGAL_TRANSITION, ID, pair.state(),
                                    pair.action(), Lifecycle.allowedFrom(pair.action()), "allowed only from"));
                }));
    }

    @Test
    void theGeneratedTestsCoverEveryStateAndActionPair() {
        long rowPairs = Lifecycle.TABLE.stream().filter(t -> !t.createsMachine())
                .map(t -> t.from() + "/" + t.action()).distinct().count();
        assertThat(rowPairs + Lifecycle.rejectedPairs().size())
                .isEqualTo((long) MachineState.values().length
                        * com.ultracloud.deployer.machine.api.LifecycleAction.values().length);
    }

    private static void exercise(Transition row) {
        org.axonframework.test.aggregate.FixtureConfiguration<Machine> fixture = new AggregateTestFixture<>(Machine.class).registerInjectableResource(new InMemoryNodeClaims());
        ResultValidator<Machine> result;
        MachineState expected;
        if (row.createsMachine()) {
            expected = expectedTarget(row, null);
            result = fixture.givenNoPriorActivity().when(command(row.action(), row.when()));
        } else {
            MachineHistories.Scenario at = scenario(row.from(), row.when());
            expected = expectedTarget(row, at);
            result = fixture.given(at.history()).when(command(row.action(), row.when()));
        }
        result.expectSuccessfulHandlerExecution();
        if (row.events().isEmpty()) {
            result.expectNoEvents();
        } else {
            result.expectEventsMatching(eventsOfTypes(row.events(), expected));
        }
        result.expectResultMessagePayload(expected);
        result.expectState(machine -> {
            assertThat(machine.state()).as("state").isEqualTo(expected);
            assertThat(machine.lastStable()).as("last stable state").isNotNull();
        });
    }

    /** The row's target, resolved from what the test knows about the history (not by the code under test). */
    private static MachineState expectedTarget(Transition row, MachineHistories.Scenario at) {
        if (row.to() == Target.SAME) {
            return row.from();
        } else if (row.to() == Target.LAST_STABLE) {
            return at.lastStable();
        } else if (row.to() == Target.RETURN_STATE) {
            return at.returnState();
        }
        assertThat(row.to().isFixed()).as("target of " + row).isTrue();
        return MachineState.valueOf(row.to().toString());
    }

    private static String describe(Transition row) {
        return (row.createsMachine() ? "(new)" : row.from().name()) + " --" + row.action().wireName()
                + (row.when() == com.ultracloud.deployer.machine.lifecycle.Condition.ALWAYS ? "" : " [" + row.when() + "]")
                + "--> " + row.to() + " " + row.eventNames();
    }
}
