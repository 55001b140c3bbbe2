/**
 * The rollout read model (issue 10): per host deployment its state, spec, counts by outcome and progress, and per
 * (deployment, machine) the machine's phase in it, desired vs running system and the agent's last report; plus
 * the unfinished claims on machines that the rollout saga asks for (through the gateway's {@code RolloutTargets}).
 * The machine's own rollout and health fields live in the inventory's machine detail.
 */
package com.ultracloud.deployer.projection.rollout;
