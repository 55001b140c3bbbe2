package com.ultracloud.deployer.machine.domain.enrollment;

import com.ultracloud.deployer.machine.domain.intent.HostnamePattern;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** {@link Fleet} over a list held in memory: every answer walks the list (fine for tests and previews). */
final class ListedFleet implements Fleet {

    private final List<Enrolled> machines;

    ListedFleet(List<Enrolled> machines) {
        Map<String, Enrolled> byId = new LinkedHashMap<>();
        for (Enrolled e : machines) {
            if (e != null && e.hostname() != null) {
                byId.put(e.machineId(), e);
            }
        }
        this.machines = List.copyOf(byId.values());
    }

    @Override
    public Optional<String> holderOf(String hostname, String except) {
        return machines.stream().filter(e -> !same(e, except) && e.hostname().equals(hostname))
                .map(Enrolled::machineId).findFirst();
    }

    @Override
    public int countByRule(String matchedRule, String except, int atMost) {
        return (int) Math.min(atMost, machines.stream()
                .filter(e -> !same(e, except) && Objects.equals(matchedRule, e.matchedRule())).count());
    }

    @Override
    public List<String> heldByRule(String matchedRule, String except, int limit) {
        return machines.stream().filter(e -> !same(e, except) && Objects.equals(matchedRule, e.matchedRule()))
                .map(Enrolled::hostname).sorted(Comparator.naturalOrder()).limit(limit).toList();
    }

    @Override
    public OptionalInt lowestFreeIndex(String pattern, int from, int to, String except) {
        for (int i = from; i <= to; i++) {
            if (holderOf(HostnamePattern.render(pattern, i), except).isEmpty()) {
                return OptionalInt.of(i);
            }
        }
        return OptionalInt.empty();
    }

    private static boolean same(Enrolled e, String machineId) {
        return machineId != null && Objects.equals(e.machineId(), machineId);
    }
}
