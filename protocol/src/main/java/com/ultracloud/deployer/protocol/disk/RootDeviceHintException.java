package com.ultracloud.deployer.protocol.disk;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Root-device hints that cannot be used as written. Lists every problem found, each with the name of
 * the hint it concerns, so an operator can fix them all in one go; nothing is ever guessed.
 */
public class RootDeviceHintException extends IllegalArgumentException {

    /** One problem with one hint: {@code hint} is the hint's name as written. */
    public record Problem(String hint, String message) {
        @Override
        public String toString() {
            return hint + ": " + message;
        }
    }

    private final transient List<Problem> problems;

    public RootDeviceHintException(List<Problem> problems) {
        super("invalid root device hints: "
                + problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    /** Every problem, in the order the hints were given. */
    public List<Problem> problems() {
        return problems;
    }
}
