/**
 * The gateway's side of the host-rollout loop (issue 10): the rollout saga's {@code RolloutTargets} over the
 * inventory and rollout read models, the operators' host-deployment API, the deployment generation counter, and
 * the intent import's host deployments.
 */
package com.ultracloud.deployer.gateway.rollout;
