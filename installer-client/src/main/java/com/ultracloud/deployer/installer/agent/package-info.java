/**
 * The nix-agent ({@code installer agent}, DESIGN §1 "host rollout", §8): long-polls the node's desired system
 * with its node certificate, activates it with deploy-rs semantics through the installer's
 * {@link com.ultracloud.deployer.installer.run.CommandExecutor} (profile, {@code switch-to-configuration test},
 * health gate, then {@code boot}; or {@code boot} and a staged reboot confirmed by a state file), rolls back to
 * the previous generation when the new one does not confirm, and reports every step. Plain Java; knows
 * nothing of the command line. See docs/agent.md.
 */
package com.ultracloud.deployer.installer.agent;
