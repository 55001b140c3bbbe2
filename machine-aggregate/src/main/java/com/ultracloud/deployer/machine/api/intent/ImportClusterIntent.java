package com.ultracloud.deployer.machine.api.intent;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Import a cluster-state document. {@code sha256} is the digest of the document exactly as received
 * (the raw bytes); importing the digest already in force changes nothing and emits no event.
 * {@code intentId} is always {@link #INTENT_ID}: a deployer serves one cluster, so there is one intent.
 */
public record ImportClusterIntent(@TargetAggregateIdentifier String intentId, ClusterState state, String sha256) {

    /** The aggregate id of the one cluster intent. */
    public static final String INTENT_ID = "cluster-intent";

    public static ImportClusterIntent of(ClusterState state, String sha256) {
        return new ImportClusterIntent(INTENT_ID, state, sha256);
    }
}
