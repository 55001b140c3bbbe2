/**
 * Install-plan rendering (DESIGN §8.1): from the cluster intent, a machine's assignment and its
 * reported hardware, the plan the installer follows. Pure: no Spring, no Axon, no I/O.
 */
package com.ultracloud.deployer.machine.domain.plan;
