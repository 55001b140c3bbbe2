/**
 * The machine inventory: one row per machine with indexed columns for filtering and the full
 * {@link com.ultracloud.deployer.projection.inventory.MachineDetail} as JSON. The detail is computed
 * by {@link com.ultracloud.deployer.projection.inventory.MachineDetailFold}, the same fold the gateway
 * uses to answer "state as of event N" from the event store.
 */
package com.ultracloud.deployer.projection.inventory;
