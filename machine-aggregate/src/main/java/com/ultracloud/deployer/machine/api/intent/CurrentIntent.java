package com.ultracloud.deployer.machine.api.intent;

import java.time.Instant;

/** The intent in force: answered to {@link com.ultracloud.deployer.machine.api.query.FindCurrentIntent}. */
public record CurrentIntent(long generation, String sha256, Instant importedAt, ClusterState state) {
}
