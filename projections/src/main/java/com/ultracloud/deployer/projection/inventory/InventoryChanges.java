package com.ultracloud.deployer.projection.inventory;

import java.time.Instant;

/**
 * Told of each machine event the inventory folded live, after its batch committed: a machine as it was before the
 * event (null for a new one), as it is after, and when the event happened. Not told during a replay, nor of a
 * redelivered event: what it counts happened once. The gateway's domain metrics listen here.
 */
public interface InventoryChanges {

    void folded(MachineDetail before, MachineDetail after, Instant at);
}
