/**
 * Wire records of the agent API (DESIGN §8 {@code /api/v1/agent/**}, §8.1): what the deployer wants a node
 * to run ({@link com.ultracloud.deployer.protocol.agent.DesiredSystem}) and what the node's nix-agent
 * reports back ({@link com.ultracloud.deployer.protocol.agent.ActivationReport}). Shared by the gateway and
 * installer-client's {@code agent}; plain records with Jackson annotations, camelCase. Enumerated values are
 * checked when a record is made, so a misspelt value fails where it is read, with a message naming it.
 */
package com.ultracloud.deployer.protocol.agent;
