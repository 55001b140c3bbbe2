package com.ultracloud.deployer.machine.api.intent;

/**
 * A cluster-state document was imported. {@code generation} counts imports that changed the
 * document (1, 2, ...); {@code sha256} is the digest of the document as received.
 */
public record ClusterIntentImported(String clusterId, long generation, String sha256, ClusterState state) {
}
