package com.ultracloud.deployer.machine.api;

import java.util.EnumSet;
import java.util.Set;

/** The lifecycle states of DESIGN §3. Orthogonal to power, rollout and health, which live elsewhere. */
public enum MachineState {
    /** The installer announced the machine; nothing has been checked yet. */
    DISCOVERED,
    /** Hardware facts were checked against the requirements. */
    INSPECTED,
    /** Assigned a node class, pool, hostname and node id. */
    COMMISSIONED,
    /** An install was requested; the saga issues credentials and a plan; the installer fetches it. */
    INSTALL_PENDING,
    /** The installer fetched the plan and is partitioning and installing. */
    INSTALLING,
    /** NixOS is on disk; waiting for the first healthy boot of the nix-agent. */
    INSTALLED,
    /** Running the desired system; eligible for host rollouts. */
    ACTIVE,
    /** Being emptied before maintenance; {@code drained} tells whether it is done. */
    DRAINING,
    /** Waiting for the installer to boot again to reinstall (credentials rotated). */
    REPROVISIONING,
    /** Booted (or about to boot) the installer in rescue mode: operator SSH, no install. */
    RESCUE,
    /** Something went wrong; an operator decides (recover, reprovision, rescue, retire). */
    FAILED,
    /** Out of the fleet; credentials revoked, secrets shredded. Rediscovery starts a new generation. */
    RETIRED;

    /** States with nothing in progress; recover returns to the last of these a machine was in. */
    public static final Set<MachineState> STABLE = EnumSet.of(DISCOVERED, INSPECTED, COMMISSIONED, INSTALLED, ACTIVE);

    /** States whose exit is driven by the machine or a deadline, not by an operator. */
    public static final Set<MachineState> TRANSIENT = EnumSet.of(INSTALL_PENDING, INSTALLING, REPROVISIONING);

    /** States that mean "needs an operator". */
    public static final Set<MachineState> FAILURE = EnumSet.of(FAILED);
}
