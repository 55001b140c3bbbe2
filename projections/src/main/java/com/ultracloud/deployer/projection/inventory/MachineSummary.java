package com.ultracloud.deployer.projection.inventory;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.ultracloud.deployer.machine.api.MachineState;

import java.time.Instant;
import java.util.Map;

/**
 * One inventory line: what a list needs at a glance, without the hardware facts. {@code rootDisk} is the disk
 * the install plan chose (absent before a plan).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MachineSummary(String machineId, MachineState state, boolean drained, String hostname, String nodeId,
                             String nodeClass, String pool, Map<String, String> labels, String power, String health,
                             String vendor, String product, String systemSerial, String rootDisk, String lastEvent,
                             Instant lastSeen, long version) {

    public static MachineSummary of(MachineDetail d) {
        var id = d.hardware() == null ? null : d.hardware().identity();
        return new MachineSummary(d.machineId(), d.state(), d.drained(), d.hostname(), d.nodeId(), d.nodeClass(),
                d.pool(), d.labels(), d.power().state(), d.health().status(),
                id == null ? null : id.vendor(), id == null ? null : id.product(),
                id == null ? null : id.systemSerial(), d.install() == null ? null : d.install().rootDevice(),
                d.lastEvent(), d.lastSeen(), d.version());
    }
}
