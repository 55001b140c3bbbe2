/**
 * {@code installer run}: the machine side of the bootstrap protocol (docs/bootstrap.md, docs/installer.md).
 * {@link com.ultracloud.deployer.installer.run.Installer} is one boot of the installer image (discover, wait,
 * plan, install), {@link com.ultracloud.deployer.installer.run.Installation} one install attempt,
 * {@link com.ultracloud.deployer.installer.run.DeployerClient} the HTTP client, and every change to the machine
 * goes through one {@link com.ultracloud.deployer.installer.run.CommandExecutor}. No picocli here: the command
 * line lives in {@code cli}.
 */
package com.ultracloud.deployer.installer.run;
