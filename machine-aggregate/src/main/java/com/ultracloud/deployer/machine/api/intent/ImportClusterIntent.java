package com.ultracloud.deployer.machine.api.intent;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Import a cluster-state document. {@code sha256} is the digest of the document's canonical JSON
 * (sorted keys, no whitespace, numbers by value: the gateway's {@code IntentDigest}), so a reformatted
 * copy has the digest of the original; importing the digest already in force changes nothing and emits
 * no event.
 * {@code intentId} is always {@link #INTENT_ID}: a deployer serves one cluster, so there is one intent.
 */
public record ImportClusterIntent(@TargetAggregateIdentifier String intentId, ClusterState state, String sha256) {

    /** The aggregate id of the one cluster intent. */
    public static final String INTENT_ID = "cluster-intent";

    public static ImportClusterIntent of(ClusterState state, String sha256) {
        return new ImportClusterIntent(INTENT_ID, state, sha256);
    }
}
