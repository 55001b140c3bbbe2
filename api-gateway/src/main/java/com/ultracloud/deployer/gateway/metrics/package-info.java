/** The deployer's domain metrics on {@code /actuator/prometheus}: the fleet by state, transitions, install timings, rollouts, processor lag. */
package com.ultracloud.deployer.gateway.metrics;
