/**
 * The HostDeployment aggregate's public vocabulary (DESIGN §1 "host rollout"): its commands, events, states,
 * actions, errors and the deployment's specification. Records and enums only, as {@code api.intent} is for
 * the cluster intent.
 */
package com.ultracloud.deployer.machine.api.deployment;
