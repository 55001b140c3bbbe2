package com.ultracloud.deployer.machine.command;

import com.ultracloud.deployer.machine.api.LifecycleAction;
import com.ultracloud.deployer.machine.api.MachineError;
import com.ultracloud.deployer.machine.api.MachineErrorCode;
import com.ultracloud.deployer.machine.api.MachineException;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.event.StateChanged;
import org.axonframework.eventhandling.EventMessage;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeDiagnosingMatcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Hamcrest matchers for fixture results: event types in order, and refused commands' details. */
final class MachineMatchers {

    private MachineMatchers() {
    }

    /**
     * Exactly these event types, in this order; every event that moves state ({@link StateChanged})
     * carries {@code target}.
     */
    static Matcher<List<EventMessage<?>>> eventsOfTypes(List<Class<?>> types, MachineState target) {
        return new TypeSafeDiagnosingMatcher<>() {
            @Override
            protected boolean matchesSafely(List<EventMessage<?>> events, Description mismatch) {
                List<Class<?>> actual = new ArrayList<>();
                events.forEach(e -> actual.add(e.getPayloadType()));
                if (!actual.equals(types)) {
                    mismatch.appendText("events were ").appendValue(names(actual));
                    return false;
                }
                for (EventMessage<?> e : events) {
                    if (e.getPayload() instanceof StateChanged s && s.state() != target) {
                        mismatch.appendText(e.getPayloadType().getSimpleName()).appendText(" carries state ")
                                .appendValue(s.state());
                        return false;
                    }
                }
                return true;
            }

            @Override
            public void describeTo(Description d) {
                d.appendText("events ").appendValue(names(types)).appendText(" whose state changes lead to ")
                        .appendValue(target);
            }
        };
    }

    /** A refusal with this code, naming the machine, its state, the command and the states it is allowed from. */
    static Matcher<Object> refusal(MachineErrorCode code, MachineId id, MachineState state, LifecycleAction action,
                                   List<MachineState> allowedFrom, String... detailFragments) {
        return new TypeSafeDiagnosingMatcher<>() {
            @Override
            protected boolean matchesSafely(Object item, Description mismatch) {
                if (!(item instanceof MachineException e)) {
                    mismatch.appendText("was ").appendValue(item);
                    return false;
                }
                MachineError error = e.error();
                List<String> wrong = new ArrayList<>();
                if (error.code() != code) wrong.add("code " + error.code());
                if (!Objects.equals(error.machineId(), id.toString())) wrong.add("machineId " + error.machineId());
                if (error.currentState() != state) wrong.add("currentState " + error.currentState());
                if (!Objects.equals(error.command(), action.wireName())) wrong.add("command " + error.command());
                if (!Objects.equals(error.allowedFrom(), allowedFrom)) wrong.add("allowedFrom " + error.allowedFrom());
                String detail = error.detail() == null ? "" : error.detail();
                if (!detail.equals(e.getMessage())) wrong.add("message " + e.getMessage() + " differs from detail");
                // every detail names the machine and the command; all but INVALID_COMMAND the state;
                // an illegal transition also every state the command is allowed from
                List<String> named = new ArrayList<>(List.of(id.toString(), action.wireName()));
                if (code != MachineErrorCode.INVALID_COMMAND) named.add(state.name());
                if (code == MachineErrorCode.ILLEGAL_TRANSITION) allowedFrom.forEach(s -> named.add(s.name()));
                named.addAll(List.of(detailFragments));
                named.stream().filter(n -> !detail.contains(n)).forEach(n -> wrong.add("detail does not name " + n));
                if (!wrong.isEmpty()) {
                    mismatch.appendText(String.join("; ", wrong)).appendText(" in ").appendValue(error);
                    return false;
                }
                return true;
            }

            @Override
            public void describeTo(Description d) {
                d.appendText("MachineException ").appendValue(code).appendText(" for ").appendValue(action.wireName())
                        .appendText(" in ").appendValue(state).appendText(" allowed from ").appendValue(allowedFrom);
            }
        };
    }

    private static List<String> names(List<Class<?>> types) {
        return types.stream().map(Class::getSimpleName).toList();
    }
}
