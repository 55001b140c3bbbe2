/**
 * The install saga (DESIGN §1 installation loop): from InstallRequested to InstallSucceeded, with
 * persisted deadlines. No Spring: its collaborators arrive as handler parameters.
 */
package com.ultracloud.deployer.machine.saga;
