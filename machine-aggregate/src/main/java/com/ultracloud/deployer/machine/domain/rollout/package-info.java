/** Pure rollout services: how the intent's host deployments become HostDeployment commands. No Spring, no Axon. */
package com.ultracloud.deployer.machine.domain.rollout;
