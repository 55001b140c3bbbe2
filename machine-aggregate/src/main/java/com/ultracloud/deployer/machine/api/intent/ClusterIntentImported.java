package com.ultracloud.deployer.machine.api.intent;

/**
 * A cluster-state document was imported. {@code generation} counts imports that changed the
 * document (1, 2, ...); {@code sha256} is the digest of the document's canonical JSON. Events
 * recorded by earlier versions carry the digest of the bytes received, so the first import after an
 * upgrade is one new generation even when the document did not change.
 */
public record ClusterIntentImported(String clusterId, long generation, String sha256, ClusterState state) {
}
