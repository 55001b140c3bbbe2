package com.ultracloud.deployer.machine.api.query;

import com.ultracloud.deployer.machine.api.MachineState;

import java.util.Set;

/**
 * A page of the inventory. Every filter is optional; {@code label} is {@code key} or
 * {@code key=value}; {@code text} matches hostname, node id, serials and MACs (case-insensitive).
 * {@code sort} is a field name, optionally followed by {@code ,desc}. {@code after}, when set, is the
 * {@code next} cursor of the page before (keyset paging: the page starts after that row, {@code page} is 0).
 */
public record ListMachines(Set<MachineState> states, String nodeClass, String pool, String label, String text,
                           int page, int size, String sort, String after) {
    public ListMachines {
        states = states == null ? Set.of() : Set.copyOf(states);
    }

    public ListMachines(Set<MachineState> states, String nodeClass, String pool, String label, String text,
                        int page, int size, String sort) {
        this(states, nodeClass, pool, label, text, page, size, sort, null);
    }
}
