/**
 * Values of the host-rollout loop (DESIGN §1) shared by the Machine aggregate (its rollout field, which is
 * never folded into the lifecycle state) and the HostDeployment aggregate: the target system, how the
 * nix-agent activates it, and what the agent reports. Records and enums only.
 */
package com.ultracloud.deployer.machine.api.rollout;
