package com.ultracloud.deployer.machine.command;

import com.ultracloud.deployer.machine.api.MachineId;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** {@link NodeClaims} for fixture tests: the claims in a map, as the gateway keeps them in its table. */
final class InMemoryNodeClaims implements NodeClaims {

    private final Map<String, String> holders = new HashMap<>(); // kind + value -> machine

    /** Another machine holds {@code value} of {@code kind}, as if it had been commissioned with it. */
    InMemoryNodeClaims held(Kind kind, String value, String machineId) {
        holders.put(key(kind, value), machineId);
        return this;
    }

    Optional<String> holderOf(Kind kind, String value) {
        return Optional.ofNullable(holders.get(key(kind, value)));
    }

    @Override
    public Optional<Taken> claim(MachineId machine, String hostname, String nodeId) {
        for (Map.Entry<Kind, String> e : Map.of(Kind.HOSTNAME, hostname, Kind.NODE_ID, nodeId).entrySet()) {
            String holder = holders.get(key(e.getKey(), e.getValue()));
            if (holder != null && !holder.equals(machine.toString())) {
                return Optional.of(new Taken(e.getKey(), e.getValue(), holder));
            }
        }
        release(machine);
        holders.put(key(Kind.HOSTNAME, hostname), machine.toString());
        holders.put(key(Kind.NODE_ID, nodeId), machine.toString());
        return Optional.empty();
    }

    @Override
    public void release(MachineId machine) {
        holders.values().removeIf(machine.toString()::equals);
    }

    private static String key(Kind kind, String value) {
        return kind + ":" + value;
    }
}
