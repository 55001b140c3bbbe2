package com.ultracloud.deployer.machine.api.deployment;

import java.util.EnumSet;
import java.util.Set;

/** The states of a host deployment. Its own state, never a machine's. */
public enum DeploymentState {
    /** Created; its machines are not resolved yet (the rollout saga resolves them and starts it). */
    PENDING,
    /** Rolling out batch after batch. */
    IN_PROGRESS,
    /** No new batch starts; machines already in flight finish. */
    PAUSED,
    /** Every machine it still owned finished, with fewer failures than the threshold. */
    SUCCEEDED,
    /** Failures reached the threshold; machines not reached yet were left untouched. */
    FAILED,
    /** Stopped by an operator; machines were left as they were. */
    ABORTED;

    /** States a deployment never leaves. */
    public static final Set<DeploymentState> FINAL = EnumSet.of(SUCCEEDED, FAILED, ABORTED);
    /** States in which a deployment still owns its machines (a newer one may supersede it). */
    public static final Set<DeploymentState> UNFINISHED = EnumSet.of(PENDING, IN_PROGRESS, PAUSED);
}
