/**
 * Commands to the Machine aggregate: imperative records, id first. Operator commands carry an
 * optional {@code expectedVersion} (optimistic concurrency: the machine's version from a previous read).
 */
package com.ultracloud.deployer.machine.api.command;
