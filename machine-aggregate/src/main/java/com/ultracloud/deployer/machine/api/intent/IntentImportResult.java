package com.ultracloud.deployer.machine.api.intent;

import java.time.Instant;

/**
 * What {@link ImportClusterIntent} answers: the generation and digest in force afterwards, whether
 * this import changed them, and when the generation in force was imported.
 */
public record IntentImportResult(long generation, String sha256, boolean changed, Instant importedAt) {
}
