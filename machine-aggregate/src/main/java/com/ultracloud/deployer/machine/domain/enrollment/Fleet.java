package com.ultracloud.deployer.machine.domain.enrollment;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The fleet as the matcher asks about it: four narrow questions, each answerable by an indexed
 * lookup, so that matching one machine costs the same in a fleet of ten machines and of 100,000
 * (the gateway answers them from the inventory's indexed columns plus the assignments it just made;
 * {@link #of(List)} answers them from a list, for tests and for previews that look at every machine anyway).
 * <p>
 * Only live (not retired) machines that hold a hostname count. {@code except} is the machine being
 * matched: it never competes with itself (it may be null).
 */
public interface Fleet {

    /** The machine other than {@code except} that holds {@code hostname}, if any. */
    Optional<String> holderOf(String hostname, String except);

    /** How many machines other than {@code except} the rule or node {@code matchedRule} assigned, counted up to {@code atMost}. */
    int countByRule(String matchedRule, String except, int atMost);

    /** The first {@code limit} hostnames (in their natural order) held by machines other than {@code except} that {@code matchedRule} assigned. */
    List<String> heldByRule(String matchedRule, String except, int limit);

    /**
     * The lowest index in {@code [from, to]} whose hostname under {@code pattern} (see
     * {@link com.ultracloud.deployer.machine.domain.intent.HostnamePattern#render}) no machine other
     * than {@code except} holds; empty when every one is held.
     */
    OptionalInt lowestFreeIndex(String pattern, int from, int to, String except);

    /** A fleet made of these machines (each with a hostname; a later entry for the same machine wins). */
    static Fleet of(List<Enrolled> machines) {
        return new ListedFleet(machines);
    }
}
