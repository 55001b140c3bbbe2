package com.ultracloud.deployer.projection.inventory;

import com.ultracloud.deployer.machine.api.MachineState;

import java.util.Map;

/**
 * Machines per lifecycle state (every state named, zeros included) and their sum, from the counts the inventory
 * keeps per state, class and pool: the same cost in any fleet ({@code GET /api/v1/machines/counts}).
 */
public record MachineCounts(Map<MachineState, Long> byState, long total) {
}
