/**
 * Fleet-wide unique values on the write side (issue 14, ADR 0007): the table behind the Machine aggregate's
 * {@link com.ultracloud.deployer.machine.command.NodeClaims} port, written in the command's transaction.
 */
package com.ultracloud.deployer.gateway.claims;
