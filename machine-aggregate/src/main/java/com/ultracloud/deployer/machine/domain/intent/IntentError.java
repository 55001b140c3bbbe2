package com.ultracloud.deployer.machine.domain.intent;

/** One problem of a cluster-state document: where (e.g. {@code nodeClasses[worker].installProfile}) and what. */
public record IntentError(String path, String message) {
    @Override
    public String toString() {
        return path + ": " + message;
    }
}
