/**
 * {@code installer lab}: many simulated machines, each running the real
 * {@link com.ultracloud.deployer.installer.run.Installer} with a
 * {@link com.ultracloud.deployer.installer.run.SimulatedExecutor}, against one deployer.
 */
package com.ultracloud.deployer.installer.lab;
