/**
 * The asynchronous read path (issue 9): {@link com.ultracloud.deployer.gateway.readpath.MachineSignals}
 * wakes requests that wait for a machine (the plan and discover long-polls, {@code minVersion} reads) when
 * one of its events is committed or folded into a projection in this process, and
 * {@link com.ultracloud.deployer.gateway.readpath.ReadPathConfig} feeds it and records the version each
 * command appended.
 */
package com.ultracloud.deployer.gateway.readpath;
