/** The rollout benchmark: lab machines install, go ACTIVE through their agents, then one rollout over all of them. */
package com.ultracloud.deployer.bench.rollout;
