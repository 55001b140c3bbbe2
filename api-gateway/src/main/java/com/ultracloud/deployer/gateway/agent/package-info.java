/**
 * The machine-facing HTTPS port (bootstrap and agent API) with a server certificate from the cluster CA,
 * and the node credential: the TLS client certificate issued before first boot, mapped to its machine by
 * serial on {@code /api/v1/agent/**} (DESIGN §10).
 */
package com.ultracloud.deployer.gateway.agent;
